"""The file writer's parts: package (zip, relationships, content types), styles, workbook and
Table registry, cell XML, result sheets, appended rows."""
