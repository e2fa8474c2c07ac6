"""The law engine: statutory interest, payment allocation, collection costs and deadlines (``shared/legal.md``).

Modules: ``rates`` (the dated rate tables), ``interest``, ``allocation`` (6:43, 6:44),
``collection_costs`` (Besluit BIK), ``deadlines`` (14-day letter, Algemene termijnenwet)
and ``commands`` (the ``rente`` and ``incassokosten`` commands). See ``README.md``.
"""
