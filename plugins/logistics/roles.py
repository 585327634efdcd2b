"""Who works in the logistics company's customer service department (seed 004): the customer-retention
centre's manager, the call-centre, reception and after-service supervisors, key-account agents, the complaint
officer, the quality officer and the records officer."""
from core.i18n import Label
from core.plugins.specs import PermissionSpec, RoleSpec

L = Label

PERMISSIONS = (
    PermissionSpec("logistics.shipment_view", L(zh="查看运单及其轨迹", en="See shipments and their history")),
    PermissionSpec("logistics.shipment_import", L(zh="导入运单", en="Import shipments")),
    PermissionSpec("logistics.claim_approve", L(zh="审批限额内理赔", en="Approve claims up to the limit")),
    PermissionSpec("logistics.claim_approve_high", L(zh="审批超限额理赔", en="Approve claims above the limit")),
    PermissionSpec("logistics.investigate", L(zh="填写投诉调查报告", en="File complaint investigation reports")),
    PermissionSpec("logistics.complaint_stats", L(zh="查看投诉统计报表", en="See the complaint statistics")),
    PermissionSpec("logistics.key_accounts", L(zh="维护大客户", en="Look after key accounts")),
)

_DESK = ("logistics.shipment_view", "ticket.view_all")
_COMPLAINTS = ("logistics.investigate", "logistics.complaint_stats")
ROLES = (
    RoleSpec("logistics_manager", L(zh="客户维系中心经理", en="Customer retention centre manager"), "manager",
             (*_DESK, *_COMPLAINTS, "logistics.claim_approve", "logistics.claim_approve_high",
              "logistics.key_accounts", "logistics.shipment_import")),
    RoleSpec("logistics_call_centre_lead", L(zh="呼叫中心主管", en="Call centre supervisor"), "supervisor", _DESK),
    RoleSpec("logistics_reception_lead", L(zh="前台接待主管", en="Reception supervisor"), "supervisor", _DESK),
    RoleSpec("logistics_after_service_lead", L(zh="后期服务主管", en="After-service supervisor"), "supervisor",
             (*_DESK, *_COMPLAINTS, "logistics.key_accounts")),
    RoleSpec("logistics_key_account_agent", L(zh="大客户服务人员", en="Key-account agent"), "agent",
             (*_DESK, "logistics.key_accounts")),
    RoleSpec("logistics_complaint_officer", L(zh="客户投诉管理人员", en="Complaint officer"), "agent",
             (*_DESK, *_COMPLAINTS, "logistics.claim_approve")),
    RoleSpec("logistics_quality_officer", L(zh="服务质量管理人员", en="Quality officer"), "quality",
             ("logistics.shipment_view", "logistics.complaint_stats")),
    RoleSpec("logistics_records_officer", L(zh="客户信息档案管理人员", en="Records officer"), "agent",
             (*_DESK, "logistics.key_accounts", "logistics.shipment_import")),
)
