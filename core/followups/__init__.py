"""The closed loop after resolution (DOMAIN.md §1): 反馈 the customer is told the result, 回访 a follow-up task
for an agent, 评价 a satisfaction survey (signed single-use link, the portal, or the follow-up), an
investigation when a score is 2 or less, and 归档 once nothing is left to do.

rules: who gets a follow-up and by when · feedback: what the customer is told · surveys: answers and links ·
service: follow-up tasks · investigations: bad ratings · archive: closing finished tickets · loop: what a
workflow step sets off · jobs: time-based work · hooks: the area's hook implementations (plugin "core-followups").
"""
