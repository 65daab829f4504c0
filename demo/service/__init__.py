"""A small recommendation service used as Incident Workbench's demo workspace.

It is deliberately imperfect in the ways production services are: one CPU-heavy scoring path, an N+1
query pattern, and inputs that fail validation. The demo incident investigates it.
"""
