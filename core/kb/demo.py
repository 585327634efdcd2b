"""Demo knowledge base: the answers a service company's hotline gives every day (public) and the rules its
staff follow (internal), some of them revised once, as a real FAQ is."""
from datetime import timedelta

from sqlalchemy import select

from core.demo.data import demo_email
from core.kb.service import create_article, create_category, update_article
from core.models import User, utcnow


def _p(text):
    return f"<p>{text}</p>"


def _list(tag, *items):
    return "\n".join((f"<{tag}>", *(f"<li>{item}</li>" for item in items), f"</{tag}>"))


CATEGORIES = (("报修与服务", 10), ("账单与发票", 20), ("投诉与建议", 30), ("内部规范", 90))

# (category, title, public, the first version's blocks, a paragraph a later revision adds or None)
ARTICLES = (
    ("报修与服务", "如何报修？", True, (
        _p("您可以通过以下任一方式报修："),
        _list("ol", "拨打客服热线，客服专员会登记您的姓名、地址、联系电话和故障情况；", "在客户门户提交“故障报修”工单；",
              "关注微信公众号，在“在线报修”中填写。"),
        _p("受理后系统会生成工单号，请妥善保存以便查询进度。"),
    ), _p("紧急故障（如漏水、漏气、停电）请直接拨打热线，我们将优先派工，维修人员一般在接单后 30 分钟内与您联系。")),
    ("报修与服务", "服务时间", True, (
        _p("客服热线 7×24 小时受理报修和紧急求助。"),
        _p("营业厅及在线咨询服务时间为工作日 9:00–18:00，法定节假日按国务院调休安排执行。"),
    ), _p("在线咨询在服务时间内 5 分钟内响应；非服务时间的留言将在下一个工作日处理。")),
    ("报修与服务", "如何预约上门服务？", True, (
        _p("提交报修或业务办理申请时，可选择方便的上门时间段（上午 9:00–12:00、下午 14:00–18:00）。"),
        _p("维修人员出发前会电话确认，如需改约请提前 2 小时联系客服热线。"),
    ), None),
    ("报修与服务", "如何查询工单处理进度？", True, (
        _p("登录客户门户，在“我的工单”中可以看到每个工单的当前状态和处理记录。"),
        _p("也可以拨打客服热线，提供工单号或登记的联系电话进行查询。"),
    ), None),
    ("报修与服务", "维修完成后会回访吗？", True, (
        _p("会的。工单办结后三天内，客服专员会通过电话或短信回访，了解问题是否解决，"
           "并请您对服务质量、服务态度和响应速度进行评价。"),
    ), _p("如果您对处理结果不满意，可以在回访时直接提出，我们会重新处理并将结果反馈给您。")),
    ("账单与发票", "如何查询账单？", True, (
        _p("您可以通过以下方式查询账单："),
        _list("ul", "客户门户首页的“账单查询”；", "微信公众号“我的账单”；", "拨打客服热线，提供用户编号或登记的联系电话。"),
    ), _p("账单每月 5 日前生成，如对金额有疑问，可在门户中提交“查询”工单，我们会在 3 个工作日内核实答复。")),
    ("账单与发票", "如何开具发票？", True, (
        _p("缴费成功后，可在客户门户“发票开具”中申请电子发票，填写单位名称、纳税人识别号后提交。"),
        _p("电子发票一般在 1 个工作日内发送到您预留的电子邮箱。"),
    ), _p("如需增值税专用发票，请携带营业执照复印件到营业厅办理，或在门户上传资料后邮寄。")),
    ("账单与发票", "缴费方式有哪些？", True, (
        _p("支持微信、支付宝、银行代扣、网上银行及营业厅现金或刷卡缴费。"),
        _p("办理银行代扣请携带身份证和银行卡到营业厅签约。"),
    ), None),
    ("投诉与建议", "投诉流程", True, (
        _p("您可以通过客服热线、客户门户或营业厅提出投诉。我们的处理流程是："),
        _list("ol", "受理：登记投诉内容并告知工单号；", "调查：相关部门核实情况；",
              "处理：一般在 24 小时内处理完毕，复杂问题会告知预计时间；", "反馈与回访：将处理结果告知您并进行回访。"),
    ), _p("对处理结果仍不满意的，可要求升级至客服经理处理。")),
    ("投诉与建议", "如何提出建议或表扬？", True, (
        _p("在客户门户提交“建议/表扬”工单，或在回访时告诉客服专员。每一条建议都会被记录并转交相关部门。"),
    ), None),
    ("内部规范", "投诉升级路径", False, (
        _p("一线客服无法解决的问题按以下路径升级：一线客服 → 客服主管 → 客服经理。"),
        _p("重大投诉（涉及人身安全、媒体曝光或群体性投诉）直接报客服经理，并在工单中记录升级原因。"),
    ), _p("升级后原处理人仍需跟进，直至客户确认收到处理结果。")),
    ("内部规范", "工单改派审批", False, (
        _p("已分派的工单如需改派，须在工作台提交改派申请并说明原因，经客服主管审批后方可改派。"),
        _p("主管按照负责客户数量均衡、兼顾业务能力的原则选择新的处理人。"),
    ), None),
    ("内部规范", "回访话术", False, (
        _p("开场：“您好，我是××公司客服专员，工号××，就您×月×日反映的问题做个回访，耽误您一分钟可以吗？”"),
        _p("询问：问题是否已解决；对服务质量、服务态度、响应速度是否满意。"),
        _p("结束：“感谢您的支持，如有问题请随时拨打客服热线。”"),
    ), _p("客户表示不满意时，不得争辩，记录原因并在工单中标记“不满意”，系统会重新打开工单。")),
    ("内部规范", "客户信息保密规定", False, (
        _p("未经客户同意，不得泄露客户的姓名、电话、地址及账户信息。"),
        _p("保密级别为“机密”及以上的客户档案，仅经理及以上人员有权查阅，每次查阅均会被记录。"),
    ), None),
    ("内部规范", "不满意评价的处理", False, (
        _p("客户给出不满意评价后，主管应在 1 个工作日内指定专人调查原因，形成处理意见，并将处理结果反馈给客户。"),
        _p("调查结论和整改措施记录在工单中，作为月度考核的依据。"),
    ), None),
)
EDITORS = ("supervisor1", "supervisor2", "manager")


def add_kb_demo_data(session, rng):
    """Categories and articles in Chinese, public and internal; those with a revision get a second version."""
    editors = session.scalars(select(User).where(User.email.in_([demo_email(local) for local in EDITORS]))).all()
    categories = {name: create_category(name, position) for name, position in CATEGORIES}
    now = utcnow()

    def editor():
        return rng.choice(editors) if editors else None

    for category, title, public, blocks, revision in ARTICLES:
        body = "\n".join(blocks)
        created = now - timedelta(days=rng.randint(30, 90), minutes=rng.randint(0, 600))
        article = create_article(title=title, body=body, actor=editor(),
                                 category=categories[category], public=public, now=created)
        if revision:
            update_article(article, actor=editor(), expected_version=article.version,
                           body=f"{body}\n{revision}", now=created + timedelta(days=rng.randint(1, 25)))
    session.flush()
