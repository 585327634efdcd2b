"""The core's measures (考核指标, DOMAIN.md §5) as KpiSpecs; core.plugins.builtin registers them through
``kefu_kpis`` (trylast), so a plugin may replace one by returning a spec with the same key.

Every ticket measure looks at the tickets received in the period (merged duplicates left out), as they stand
now; the backlog is read at the end of the period's last day (today, while the period runs).
"""
from core.i18n import Label
from core.models.report import AGE_THRESHOLDS, ReportTicketFact
from core.reports import sums
from core.reports.kpis import KpiResult, KpiSpec

F = ReportTicketFact
L = Label


def _count(period, scope):
    counts = sums.cohort(period, scope)
    return KpiResult(counts["received"], tickets=sums.tickets_received(period, scope))


def _rate(numerator, denominator):
    def compute(period, scope):
        counts = sums.cohort(period, scope)
        return KpiResult.rate(counts[numerator], counts[denominator],
                              tickets=sums.tickets_received(period, scope, getattr(F, numerator) > 0),
                              denominator_tickets=sums.tickets_received(period, scope, getattr(F, denominator) > 0))

    return compute


def _response_percentile(percent):
    def compute(period, scope):
        responded = sums.cohort(period, scope)["responded"]
        seconds = sums.response_percentiles(period, scope, responded).get(percent)
        return KpiResult(None if seconds is None else seconds / 60, denominator=responded,
                         tickets=sums.tickets_received(period, scope, F.responded == 1))

    return compute


def _average_score(period, scope):
    counts = sums.cohort(period, scope)
    inspected = counts["inspected"]
    return KpiResult(counts["quality_points"] / 100 / inspected if inspected else None, counts["quality_points"] / 100,
                     inspected, tickets=sums.tickets_received(period, scope, F.inspected > 0))


def _backlog(column):
    def compute(period, scope):
        day = sums.snapshot_day(period)
        if day is None:
            return KpiResult(None)
        # The series from the period's first day, as the dashboard draws it: one reading serves both.
        count = sums.backlog_by_day(period.local_days()[0], day, scope)[day][column]
        return KpiResult(count, tickets=sums.backlog_tickets(day, scope, AGE_THRESHOLDS.get(column, 0)))

    return compute


CORE_KPIS = (
    KpiSpec("received", L(zh="受理量", en="Tickets received"),
            L(zh="本期受理的工单数（合并到其他工单的重复工单不计）。",
              en="Tickets received in the period (duplicates merged into another ticket are not counted)."),
            _count, unit="count", sort_order=10),
    KpiSpec("first_response_median", L(zh="服务响应时间（中位数）", en="First response time (median)"),
            L(zh="本期受理并已答复的工单，从受理到首次答复客户的时间：至少一半工单在此时间内得到答复。",
              en="For the period's tickets that have had a reply, the time from receipt to the first reply to the "
                 "customer: at least half were answered within it."),
            _response_percentile(50), unit="minutes", sort_order=20),
    KpiSpec("first_response_p90", L(zh="服务响应时间（90%）", en="First response time (90th percentile)"),
            L(zh="同上，至少90%的工单在此时间内得到答复。",
              en="As above: at least 90 % of them were answered within it."),
            _response_percentile(90), unit="minutes", sort_order=30),
    KpiSpec("on_time_completion_rate", L(zh="按时完成率", en="On-time completion rate"),
            L(zh="本期受理、处理时限已有结果（按时或超时）的工单中，在时限内解决的比例；等待客户的时间不计入时限。",
              en="Of the period's tickets whose resolution deadline was met or missed, the share resolved in time; "
                 "time spent waiting for the customer does not count."),
            _rate("resolution_met", "resolution_decided"), sort_order=40),
    KpiSpec("sla_met_rate", L(zh="服务时限达标率", en="SLA met"),
            L(zh="本期受理工单的全部服务时限（首次响应、再次响应、解决、反馈、回访）中已有结果的，按时达成的比例。",
              en="Of all the service-level targets (first response, next response, resolution, feedback, follow-up) "
                 "of the period's tickets that were met or missed, the share met."),
            _rate("sla_met", "sla_decided"), sort_order=50),
    KpiSpec("complaint_rate", L(zh="客户投诉率", en="Complaint rate"),
            L(zh="本期受理的工单中投诉所占的比例（投诉数 ÷ 全部受理数）。",
              en="Complaints as a share of all tickets received in the period."),
            _rate("complaints", "received"), sort_order=60),
    KpiSpec("complaint_handling_rate", L(zh="投诉处理率", en="Complaint handling rate"),
            L(zh="本期受理的投诉中目前已处理完毕（已解决，或解决后归档）的比例。",
              en="Of the complaints received in the period, the share now dealt with (resolved, or closed after "
                 "being resolved)."),
            _rate("complaints_resolved", "complaints"), sort_order=70),
    KpiSpec("resolution_rate", L(zh="问题解决率", en="Resolution rate"),
            L(zh="本期受理的工单中目前已解决的比例；驳回的、重新打开后尚未再次解决的不算。",
              en="Of the tickets received in the period, the share now resolved; rejected tickets and tickets "
                 "reopened and not yet resolved again do not count."),
            _rate("resolved", "received"), sort_order=80),
    KpiSpec("reopen_rate", L(zh="重开率", en="Reopen rate"),
            L(zh="本期受理且曾经解决的工单中，解决后又被重新打开过的比例。",
              en="Of the period's tickets that were resolved at least once, the share opened again afterwards."),
            _rate("reopened", "ever_resolved"), sort_order=90),
    KpiSpec("satisfaction_rate", L(zh="客户满意度", en="Satisfaction rate"),
            L(zh="本期受理、客户已评价的工单中，满意的比例：以最近一次评价为准，服务质量、服务态度、响应速度都评4分或5分才算满意。",
              en="Of the period's tickets whose customer answered the survey, the share satisfied: by the latest "
                 "answer, scoring 4 or 5 on quality, attitude and speed alike."),
            _rate("satisfied", "surveyed"), sort_order=91),
    KpiSpec("follow_up_rate", L(zh="回访率", en="Follow-up rate"),
            L(zh="本期受理、目前已解决的工单中，最近一次解决后已完成回访的比例。",
              en="Of the period's tickets now resolved, the share followed up since they were last resolved."),
            _rate("followed_up", "resolved"), sort_order=92),
    KpiSpec("complaint_follow_up_rate", L(zh="投诉处理回访率", en="Complaint follow-up rate"),
            L(zh="投诉处理回访宗数 ÷ 总投诉处理宗数：本期受理、目前已处理完毕的投诉中，处理后已完成回访的比例。",
              en="Complaints followed up ÷ complaints dealt with: of the period's complaints now resolved, the share "
                 "followed up since they were last resolved."),
            _rate("complaints_followed_up", "complaints_resolved"), sort_order=93),
    KpiSpec("quality_score", L(zh="质检平均分", en="Quality inspection score"),
            L(zh="本期受理、已完成质检评分的工单的平均得分（满分100）。",
              en="The average quality-inspection score (out of 100) of the period's tickets that were inspected."),
            _average_score, unit="score", sort_order=94),
    KpiSpec("backlog", L(zh="积压工单", en="Backlog"),
            L(zh="本期最后一天结束时（本期未结束时为今天结束时）仍在处理中或等待客户的工单数。",
              en="Tickets still open or waiting for the customer at the end of the period's last day (of today, "
                 "while the period runs)."),
            _backlog("backlog"), unit="count", sort_order=100),
    KpiSpec("aged_backlog", L(zh="超过3天的积压", en="Backlog older than 3 days"),
            L(zh="积压工单中受理已超过3天的工单数。",
              en="Tickets in the backlog that were received more than 3 days before."),
            _backlog("aged_3d"), unit="count", sort_order=110),
)
