"""The live writer's old import path; it lives in ``register/write/live.py``."""

from .write.live import append_actions, excel_value, existing_grid, write, write_result_sheet

__all__ = ["append_actions", "excel_value", "existing_grid", "write", "write_result_sheet"]
