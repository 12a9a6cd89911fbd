"""Figures across the network's work: the engagement of each member company and the annual
report (Jahresbericht) for the city council and the federal initiative's network database.

It reads the feature apps (meetings, seal, newsletter) and members, which never import each
other, so it sits above them (import-linter's layers in pyproject.toml); no app imports it. The
rules of what counts (who came to a meeting, who was a member on a day, which seal is valid,
which address is undeliverable) are the apps' own, in their ``selectors.py``; this app counts
with them (:mod:`reports.selectors`), draws the charts (:mod:`reports.charts`), writes the
documents (:mod:`reports.documents`) and shows them to the coordinators (:mod:`reports.admin`).
"""
