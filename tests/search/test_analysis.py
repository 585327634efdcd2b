"""Tests for core.search.analysis: tokens, query terms, and recall on a real Whoosh index."""

import logging
import re
import threading
import unicodedata

import jieba
import pytest
from whoosh import fields, index, qparser
from whoosh.query import And, Phrase, Term

from core.search import analysis
from core.search.analysis import (
    ChineseAnalyzer,
    ChineseTokenizer,
    contains,
    index_terms,
    needle,
    normalize,
    query_terms,
    tokenize,
)

# Sentences copied from the project's seed documents: customer-service rules of property, water,
# catering and e-commerce companies.
SEED_SENTENCES = """\
集团工程客户管理制度一、客户信息管理制度应明确客户信息的收集、存储、更新和保密机制
第十五条保密原则:公司全体员工应严格遵守公司的保密规定,确保客户信息的保密安全
严格保密,维护客户隐私
第六条客户信息管理应遵循以下要求:1. 保密原则:未经客户同意,不得泄露客户信息
第十条客户管理中心应当建立健全的信息管理制度,做好客户信息的收集、管理、保密工作,确保客户信息的安全
受理客户用水申请、过户、销户、投诉、咨询、查询、报修等业务,在规定时限内按程序予以反馈、解决、解答
3.5受理来电报修业务的记录,根据业务类别在规定时间内进行受理或流转
了解出品部当日急推和供应的菜肴,与传菜部协调好关系
服务过程中尽量避免餐具破损,轻拿轻放餐具,将客人用过的餐具及时让传菜员收走
做好传菜的准备工作,安排部署准确、迅速的将菜传到指定位置
根据操作服务程序做好餐前的准备和传菜工作,做好营业前本部门岗位环境卫生与传菜用具清洁工作,同时协助楼面作好餐具准备工作
第十三条传菜员岗位职责直接上级传菜助理直接下级帮带的传菜员1. 熟悉楼面的布置,准确把菜传送至前台和指定位置
第十三条在线客服人员应遵守保密规定,对涉及商业机密的信息保密,不得私自泄露
严格遵守公司保密制度,不得泄露客户信息及公司机密
每个角色都有明确的职责:- 客服经理负责整体客服策略的制定和执行,监控服务质量,处理重大客户投诉
负责大客户的接待管理工作,维护与大客户长期的沟通和合作关系
负责客户信息档案管理,对客户资料进行立档,并对客户档案保管使用及档案保密工作提出合理意见
负责安排对大客户的定期跟踪与回访工作
负责客户档案管理,对客户资料进行立档,并对客户档案保管使用及档案保密工作提出合理意见
大客户服务人员岗位职责
负责安排对大客户的定期回访工作
负责保证企业与大客户之间信息传递的及时、准确、把握市场脉搏
负责经常性地征求大客户对客户服务人员的意见,及时调整客户服务人员,保证沟通渠道畅通
负责根据大客户的不同情况,和每个大客户一起设计服务方案以满足客户的需求
负责提议对大客户制定适当的服务优惠政策和激励策略
恪守保密原则,增强保密观念,严格按工作程序办事,不散布、传播在工作中接触的公司资料、决策等属保密的事项
熟悉《员工手册》《员工培训资料》《科室和岗位的规章制度》《保密制度》等,并经过考试通过后方可正式上岗
履行集团公司供电服务承诺
b)负责淘宝官方活动的报名、组织策划
服务质量:确保客户满意度
評價方式1.提供多種評價方式,如在線問卷、電話回訪、短信評價等,方便客戶進行評價
客户服务管理制度(最新5篇)
生日慰问生日慰问使用文字慰问(邮件、短信)与实物慰问(礼品)两种方式,于每个节日前的1-3日前送达
第十七条客服人员收集客户意见时,应认真记录客户反馈,及时反馈给相关部门,改进服务品质
协助和协调如家酒店连锁公司销售、培训、QA检查等专业部 门的服务项目工作,提高酒店的经营管理水平,提升如家酒 店的品牌
客户维系中心经理
- 设立客户反馈机制,鼓励客户提供服务评价,以便不断优化服务流程
第二条客户中心是公司对外服务的窗口,是处理客户关系的重要渠道,负责客户服务、投诉处理、市场调研和客户关系管理工作
值班期间,需保持精神饱满、集中精力,认真履行职责
業務知識培訓,包括公司產品或服務的特點、優勢等
第十一条公正原则:公司全体员工应保持公正、客观的态度处理客户问题,不得采取偏颇、不公平的做法
根据工作质量指标对在线客服进行绩效评估,及时纠正和提升工作标准和质量
礼品赠送指向客户赠送礼品(价格200元以内)
总经理负责客户服务中心的全面管理和业绩目标的制定
我公司客服部门日常工作分为三大类:
负责前厅接待管理
第八条消费者对在线客服服务有任何投诉或意见,可以向相关部门进行举报,相关部门将及时处理并给予反馈
了解财务、法律等方面的相关知识 1、客户沟通协调能力
根據咨詢問題的類型進行分類,便于后續處理
售前回访主要指国众兴合下属销售、爆破服务等业务服务过程中出现问题,针对电话营销组所采取的措施及成效进行的对客户的回访工作
培訓內容1.奔騰服務流程相關知識和技能培訓,如服務規范、溝通技巧、問題解決方法等
客户服务管理制度是一套旨在确保公司提供优质、高效、一致的客户服务体验的规则和流程
第四章客户服务流程第十四条客户咨询:接到客户咨询后,及时给予解答,如需进一步了解,转接相关部门
客户服务部日常工作详细流程
對服務人員進行必要的培訓和指導,確保其熟悉服務流程和要求
应使用“十字服务用语”(您好、请、谢谢、对不起、再见),做到“三声服务”(来有迎声,问有答声,走有送声),宜讲普通话
,负责跟进落实与客户服务部工作中有关重大加盟店的投诉等事项,并及时向总经理汇报
第十三条客户管理中心应定期组织对员工进行业务技能培训,不断提高员工的服务能力和素质
第五条公司客服人员应具备良好的职业道德和沟通技巧,以提供优质的服务为宗旨,保障客户的利益
产品销售:按照客户需求,提供产品销售服务
- 2、"仅部分预览"的文档,不可在线预览部分如存在完整性等问题,可反馈申请退款(可完整预览的文档不适用该条件
完成目标I可以通过以下途径: 1. 通过电话和信函与老客户沟通,收集客户的反馈信息及了解客户最新的出游动向
服務質量控制1.服務團隊負責人對服務執行過程進行監督檢查,確保服務質量符合要求
第十八条投诉处理:公司全体员工应遵循客户投诉处理流程,及时回复客户投诉
策划和组织实施客户服务策略,制定客户服务规范,树立公司的品牌,提高客户满意,提升公司服务形象和社会声誉
文化交流文化交流指邀请客户参加“沙龙”、“旅游”等
问题升级路径:明确在遇到复杂问题时的内部沟通和解决流程
负责对呼叫中心服务人员进行培训、激励、评价和考核
附则本管理制度自颁布之日起实施,如有变动,将另行通知
第四条集团客户中心质量管理的适用对象
职责3.1公司3.1.1贯彻执行集团客户服务管理制度、工作标准和各项管理办法
客服部部门承担着为客户服务的直接任务,服务的标准是什么
第三章客户管理流程第九条集团客户管理流程包括客户拓展、客户维护、客户挽回和客户价值管理四个环节
b)负责淘宝C店的运营管理
负责客户服务部每日不定时地对服务项目进行检查和监督
第二十二条对表现优异的员工给予表彰和奖励,激发员工工作积极性
网络售后客服 b)负责售后服务
住户月有效投诉率低于2%
在线客服人员要保持良好的服务态度,礼貌待客,乐观自动地了解客户需求,供应满意的解决方案
第四章奖惩制度第十七条公司对客服人员的表现进行定期考核,根据绩效评定结果给予奖励或处罚
你为什么报考本学校
第七条客户服务部负责接听客户电话、处理客户咨询、反馈和投诉,确保客户问题得到及时有效的处理
第三章客户服务第七条集团内部各部门应按照各自职责,为客户提供优质服务
建立和维护营销信息库
提供及时、精准的客户回访,为公司业务方向提供大数据支持
第六条在线客服主管的具体职责包括:(一)负责制定在线客服团队的工作计划和年度目标
信息管理与沟通策略:建立客户信息数据库,优化内部沟通渠道,确保信息传递准确及时
客户关系部:负责与客户建立和维护良好的关系,定期进行客户满意度调查,提供个性化的服务
***公司营销中心 客 户 服 务 部 管 理 手 册
对客户办理的业务,及时反馈办理结果,确保客户满意
第七条服务规范1.语言礼貌:在线客服人员要用正确、流畅、规范的语言与客户进行沟通,敬重客户,不使用羞辱、恶意等不文明用语
監督與考核(一)監督機制1.設立專門的服務監督崗位或團隊,定期對奔騰服務流程的執行情況進行檢查
当营业高峰没有客位时,向客人认真解释,安排等待
检查下属人员的仪容仪表、本区域的卫生情况,督导并及时指正使其改正
处理好客户的投诉,不要让矛盾升级
適用范圍本制度適用于公司所有涉及奔騰服務流程的部門和崗位
电话营销组 电话营销组隶属于电销客服部,主要负责国众兴合下属销售、爆破服务等的业务咨询及投诉受理工作
客户关系维护建立长期的客户关系对于网络公司的成功至关重要:- 利用CRM系统跟踪客户互动历史,提供个性化服务
第九条客户服务工作分为前台和后台两部分,前台主要负责客户接待和咨询,后台主要负责客户投诉和处理
第七章附则第二十四条本制度由公司客户服务部门负责解释
负责定期与客户、承运商沟通,协调日常工作,及时提出改进建议,监督改进结果
投诉分流:根据投诉情况,客服部门将投诉分流给相关部门,并设定处理时限
客户投诉管理人员的岗位职责
客服人員可隨時查閱解答庫,快速回答客戶問題
分配依據1.服務需求的具體內容,如涉及的業務領域、技術要求等
第十七条在线客服单位应建立健全投诉处理机制,对用户投诉及时受理、调查、处理,并及时给予回复
b)负责培训和指导部门员工客服工作
第十五条客户管理中心应加强对员工的岗位管理,要求员工服从调配,发挥员工的专长,做到人尽其才
熟悉国内外大中型同行业的结构体系,熟悉各类同行业产品经营和经营模式, 先进的管理理念和战略观念,熟悉现代营销理论
通过客服所有成员共同努力,以最大的可能,最快的速度建立并发展忠实稳定的客户群体,为组团业务的拓展打下坚实的基础
有效监督服务员的工作程序和工作方法,发现问题时纠正,保证服务工作符合公司标准
及时反映对各加盟店的服务和管理质量的评估,并予以跟踪 指导
负责维护客户关系,包括拜访客户、客户关系评价和提案管理等
- 中國移動熱線人工優秀服務藍圖
服务标准:设定客户服务的质量标准,包括响应时间、解决问题的效率、沟通技巧等
合同管理与风险控制合同是规范双方权利义务的法律文件,制度中应包含合同管理的具体条款,如合同的签订、变更、解除等程序
第八条客户管理中心必须密切关注客户的需求和反馈意见,及时调整服务方案和服务政策,保证服务质量
第六条员工对待客户必须礼貌,细致,亲切,处理各类投诉,建立完善的投诉处理机制,使客户满意度不断提高
到中后期,以上图的多个部门成员将会随之而增加
开始:您好我是皇家卫士的客服代表,请问您是××先生/小姐吗
客服团队结构与职责客服团队应该根据公司的业务规模和服务需求来设置
第五条客户管理中心必须加强对员工的教育和培训,提高员工的服务意识和专业技能,规范员工的工作行为,加强对员工的管理和考核
集团客户中心主要是通过开展qc小组活动的形式来进行质量管理
根据在线客服的绩效评估结果,设立相应的绩效奖励制度,以激励优秀的在线客服人员,并激励其他人员不断提升自己的工作水平
有偿服务满意率= ——————————×100%,不得低于 98%
参与公司组织的各项培训活动,提高自身业务水平
节日慰问使用文字慰问(邮件、短信等)与实物慰问(礼品)两种方式,于每个节日前的1-3日前送达
第十二条客户管理中心应当建立健全服务团队,队伍要结实,业务能力要雄厚,对待客户要热诚,能够细致入微地处理问题
第四条线上客服部门的工作职责包括接听客户咨询、解答客户疑问、处理客户投诉、收集客户意见等
其他各项领导交办工作
服務反饋流程(一)反饋時間要求1.服務完成后,服務人員應在規定時間內(如[X]小時或[X]個工作日)向客戶反饋服務結果
客服团队组建客服团队由各类客服人员组成,包括电话客服、在线客服、投诉处理等岗位,保证客户服务全面、多元化
收餐后搞好备餐间的卫生收齐餐具,做好安全防范工作
负责收集客户意见和建议,整理、分析和收集反馈数据和信息,分别转送相关部门
在实际操作中积累经验,结合行业发展的新趋势,调整和完善制度内容
负责制定客户维系原则与客户维系标准,协助拟定标准的客户维系工作流程规范
新的一年即将开始,根据客户服 务部的现状,特制定年客户服务部的工作计划
餐前备好各种所需用品,酒水饮料应整齐、美观地分类摆放
對于不符合公司業務范圍或無法滿足的需求,及時與客戶溝通解釋
第三章客户服务流程第十五条客服人员接听客户咨询时,应根据客户需求和问题,快速提供正确的解答和帮助
绩效评估与激励机制:制定公平、透明的绩效评估体系,将客户满意度纳入考核指标,通过奖励和激励措施激发员工的工作积极性
根據評估結果,對培訓內容和方式進行調整和改進,不斷提升服務人員的業務水平和服務能力
负责管理客户维系中心各服务项目的运作
客户需求:产品需求、服务需求等
根据公司规定的标准回复客户信息,并在规定时间内完成
计算机操作熟练,具备一定的网络知识
组织架构1. 客服部门设置公司设立客服部门,负责管理和协调客服工作
第十条客户拓展环节主要包括市场调研、客户定位和客户发展计划制定等内容,旨在扩大集团客户群
了解客人姓名及特殊要求,与客人建立良好关系
集团客户服务管理制度模版
qc小组活动的记录各qc小组开展的各项有关活动要认真、详细、如实地填写《qc小组活动记录表》
- 裝飾裝修工程概況描述(參考)
处理来自公司内、外的各类与本身业务有关的投诉,管理本部门内劳动服务工具及各种业务报表
应急处理预案:针对可能发生的突发事件,如设施故障、安全问题等,制定应急预案,快速响应并解决
第三章服务质量监控第九条客户满意度调查1. 定期开展客户满意度调查,了解客户对服务的评价
熟练掌握计算机使用技能,能运用网络和办公软件,顺利完成各项文件的编制、管理,进行工作相关信息的搜集整理等
呼叫中心主管岗位职责
处理日常发货信息输出,确保物流中心及时处理发货任务
②、工程施工期间,常驻现场,参加工程例会,查询技术资料,逐步熟悉工程状况和机电设备安装与运行情况
制定公司供电营业示范窗口标准和考核办法
定期更新解答庫內容,確保其準確性和完整性
客户服务部工作实施方案
客户服务管理系统规章制度第一章总则第一条为提高企业服务质量、客户满意度,规范客户服务管理行为,制定本规章制度
胜捷物流为避免出现类似问题,严格了后期服务制度
客户服务质量管理人员的岗位职责
投诉处理与纠纷解决设立专门的投诉处理机制,对客户的投诉进行快速反应和处理
客服工程管理部为本制度主要执行部门,公司其它职能部门、岗位在受理涉及客户服务管理范畴工作任务时,遵照本制度要求执行
CRM会员管理 a)负责建立会员数据库,并开展会员营销
工作流程 4.1 电话营销流程 A.市场部门获得精准客户名单,由电销部每日早上分发后拨打
奖惩机制根据绩效考核结果,对表现优秀的客服人员进行奖励激励,对表现不佳的进行纠正和培训
了解当天宾客订餐情况、宾客的生活习惯和客人要求
第七条公司应定期进行客户满意度调查和评估,及时总结经验,不断提高服务质量
协调与其他部门的合作,解决工作中的问题
c)负责商品纠纷、退换货的处理
培训和发展:定期对客服团队进行产品知识、沟通技巧和冲突处理的培训,提升服务质量
若因服务态度或服务技能等自身原因造成客户投诉者,一经查实,严肃处理
標準化原則:對服務流程進行標準化設計,確保各項操作有章可循
客服部门下设客服经理、客服主管、客服专员等职位
第二章组织架构和职责第四条组织架构1.在线客服部门设立特地的主管,负责在线客服工作的组织和管理
工欲善其事必先利其器,作为客户服务部门人员,首先要知道客户服务的意义
在线客服部门:指特地负责在线客服工作的部门
解答问题:客服人员需具备良好的产品知识和服务意识,确保客户问题得到及时解答
商务拓展部(简称BD) 1.团购业务的联系和开发
- 掘進新工人培訓課件
準確記錄客戶需求內容,包括服務類型、具體要求、期望完成時間等
"""

# Tickets written for these tests: the terms inside longer words, cut across by jieba
# (扩大客户, 情报修改, 流传菜系, 担保密码), and near misses (大客车客户, 账单上的金额).
TICKETS = """\
楼上卫生间漏水，天花板已经发霉了
水管漏水严重，请尽快派人上门维修
屋顶渗漏水已经三天了，物业一直没来
空调外机漏水，水滴到楼下阳台上
防水层老化导致厨房地面漏水
水表井漏水，这个月水费突然上涨
本月电子账单金额与实际用量不符
账单金额有误，请核对后重新出账
为什么我这个月的电费账单金额这么高
水费账单金额已从银行卡自动扣款
账单上的金额和短信通知的不一样
收到快递时包裹破损，里面的杯子碎了
本月包裹破损率上升了两个百分点
外包裹破损但内件完好，客户仍要求赔偿
签收前发现包裹破损请当场拒收
包裹外箱有破损，请拍照后联系客服
我们计划扩大客户群体，覆盖周边小区
重大客户投诉需在两小时内上报主管
大客车客户的行李在中途丢失
电话报修后一直没有师傅上门
物业报修单号是多少，我想查询进度
情报修改后需要重新审批
传菜员把菜送错了桌，客人很不满意
这道菜谱流传菜系已有百年
新来的传菜生不熟悉桌号
请与客户签订保密协议
他的担保密码忘记了，无法办理业务
WiFi密码忘记了 Router-X200
Ｒｏｕｔｅｒ－Ｘ２００ 无法连接ＷＩＦＩ，提示密码错误
订单号SF1234567890的包裹破损，要求理赔
"""

CORPUS = SEED_SENTENCES.splitlines() + TICKETS.splitlines()

SEARCH_TERMS = ["漏水", "账单金额", "包裹破损", "大客户", "报修", "传菜", "保密", "客户投诉", "服务质量",
                "客户信息", "WiFi密码", "router-x200", "ＷｉＦｉ", "SF1234567890"]


def texts(tokens):
    return [t.text for t in tokens]


def test_plain_positions_are_sequential():
    for sentence in CORPUS:
        tokens = tokenize(sentence, "plain")
        assert [t.pos for t in tokens] == list(range(len(tokens)))


def test_query_positions_are_sequential():
    tokens = tokenize("大客户 WiFi密码忘记了", "query")
    assert [t.pos for t in tokens] == list(range(len(tokens)))


def test_index_mode_adds_terms_at_the_positions_of_the_words():
    for sentence in CORPUS:
        plain = tokenize(sentence, "plain")
        index_tokens = tokenize(sentence, "index")
        assert [t for t in index_tokens if t in plain] == plain
        assert [t.pos for t in index_tokens] == sorted(t.pos for t in index_tokens)
        assert {t.pos for t in index_tokens} == {t.pos for t in plain}


def test_index_terms_are_the_index_tokens():
    for sentence in CORPUS + ["㍻元年 cafe\u0301 ok Ｒｏｕｔｅｒ－Ｘ２００"]:
        assert index_terms(sentence) == texts(tokenize(sentence, "index"))


def test_mixed_chinese_and_english():
    text = "WiFi密码忘记了 Router-X200"
    tokens = tokenize(text, "plain")
    assert texts(tokens) == ["wifi", "密码", "忘记", "了", "router", "x200"]
    assert [text[t.start:t.end] for t in tokens] == ["WiFi", "密码", "忘记", "了", "Router", "X200"]
    assert "码忘" in texts(tokenize(text, "index"))


def test_case_folding():
    assert texts(tokenize("WIFI WiFi wifi Straße", "plain")) == ["wifi", "wifi", "wifi", "strasse"]


def test_full_width_is_normalised_and_offsets_point_into_the_original():
    text = "Ｒｏｕｔｅｒ－Ｘ２００　无法连接ＷＩＦＩ，提示密码错误"
    tokens = tokenize(text, "plain")
    assert texts(tokens) == ["router", "x200", "无法", "连接", "wifi", "提示", "密码", "错误"]
    assert [text[t.start:t.end] for t in tokens][:2] == ["Ｒｏｕｔｅｒ", "Ｘ２００"]


def test_offsets_survive_characters_that_nfkc_expands_or_composes():
    text = "㍻元年 cafe\u0301 ok"
    assert [(t.text, text[t.start:t.end]) for t in tokenize(text, "plain")] == [
        ("平成", "㍻"), ("元年", "元年"), ("café", "cafe\u0301"), ("ok", "ok")]


def test_every_index_token_is_the_text_it_points_at():
    for sentence in CORPUS:
        for t in tokenize(sentence, "index"):
            assert unicodedata.normalize("NFKC", sentence[t.start:t.end]).casefold() == t.text


def test_index_mode_bigrams_and_subwords():
    tokens = {(t.text, t.pos) for t in tokenize("我们计划扩大客户群体", "index")}
    assert ("扩大", 2) in tokens and ("客户", 3) in tokens and ("大客", 2) in tokens
    tokens = {(t.text, t.pos) for t in tokenize("中华人民共和国成立", "index")}
    assert {("中华人民共和国", 0), ("人民共和国", 0), ("民共", 0), ("国成", 0), ("成立", 1)} <= tokens


def test_every_character_starts_an_index_term_or_is_one():
    """What a one-character search relies on: a prefix search for it finds every occurrence."""
    for sentence in CORPUS:
        terms = {t.text for t in tokenize(sentence, "index")}
        for run in re.findall(r"[\u4e00-\u9fff]+", sentence):
            for i, char in enumerate(run):
                assert any(term.startswith(char) and run.startswith(term, i) for term in terms), (char, run)


def test_normalize_and_needle():
    assert normalize("WiFi 密码忘了", "Ｒｏｕｔｅｒ－Ｘ２００") == "|wifi|密码忘了||router|x200|"
    assert needle("WiFi密码") == "|wifi|密码" and needle("密码") == "密码" and needle("！？") is None
    assert needle("大客户") not in normalize("大客", "户")  # no match across two texts


def test_punctuation_and_whitespace_are_dropped():
    assert tokenize(" ，。！？——…… \n", "index") == []
    assert texts(tokenize("a_b,c", "plain")) == ["a", "b", "c"]


def test_unknown_mode():
    with pytest.raises(ValueError):
        tokenize("漏水", "fuzzy")


def test_query_terms():
    assert query_terms("大客户 漏水 WiFi密码 Ｒｏｕｔｅｒ 水 哈哈哈") == [
        ["大客", "客户"], ["漏水"], ["wifi"], ["密码"], ["router"], ["水"], ["哈哈"]]
    assert query_terms("！？") == []
    assert texts(tokenize("大客户 漏水", "query")) == ["大客", "客户", "漏水"]


def test_contains():
    assert contains("我们计划扩大客户群体", "大客户")
    assert not contains("大客车客户的行李丢失", "大客户")
    assert contains("我的WiFi 密码忘了", "wifi密码")
    assert contains("ＷｉＦｉ－密码", "WiFi密码")
    assert not contains("WiFi", "fi")
    assert not contains("漏水", "，")


def test_segmenter_is_loaded_once_lazily_thread_safely_and_quietly(monkeypatch, capfd):
    built = []

    class CountingTokenizer(jieba.Tokenizer):
        def __init__(self, *args, **kwargs):
            built.append(self)
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(analysis, "_jieba", None)
    monkeypatch.setattr(jieba, "Tokenizer", CountingTokenizer)
    got = []
    threads = [threading.Thread(target=lambda: got.append(analysis.segmenter())) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(built) == 1 and all(seg is built[0] for seg in got)
    assert built[0].initialized
    assert logging.getLogger("jieba").level >= logging.WARNING
    assert capfd.readouterr().err == ""


def test_whoosh_tokenizer():
    analyzer = ChineseAnalyzer()
    assert isinstance(analyzer, ChineseTokenizer) and analyzer == ChineseAnalyzer()
    tokens = [(t.text, t.pos, t.startchar, t.endchar)
              for t in analyzer("扩大客户 X1", positions=True, chars=True, mode="index", start_pos=10, start_char=5)]
    assert tokens == [("扩大", 10, 5, 7), ("大客", 10, 6, 8), ("客户", 11, 7, 9), ("户", 11, 8, 9), ("x1", 12, 10, 12)]
    query = [(t.text, t.pos) for t in analyzer("扩大客户 X1", positions=True, mode="query")]
    assert query == [("扩大", 0), ("大客", 1), ("客户", 2), ("x1", 3)]
    assert [t.text for t in analyzer("ＡＢ 漏水", tokenize=False)] == ["ab 漏水"]


@pytest.fixture(scope="module")
def searcher(tmp_path_factory):
    schema = fields.Schema(
        id=fields.NUMERIC(stored=True),
        body=fields.TEXT(analyzer=ChineseAnalyzer(), stored=True, phrase=True, multitoken_query="and"),
    )
    path = tmp_path_factory.mktemp("index")
    with index.create_in(str(path), schema).writer() as writer:
        for i, sentence in enumerate(CORPUS):
            writer.add_document(id=i, body=sentence)
    with index.open_dir(str(path)).searcher() as s:  # the pickled analyzer loads back
        yield s


def search(searcher, text):
    """Recommended search: AND of query_terms, then keep the hits that contain the text."""
    q = And([Term("body", term) for segment in query_terms(text) for term in segment])
    candidates = {hit["id"]: hit["body"] for hit in searcher.search(q, limit=None)}
    return set(candidates), {i for i, body in candidates.items() if contains(body, text)}


@pytest.mark.parametrize("text", SEARCH_TERMS)
def test_search_finds_every_sentence_containing_the_text(searcher, text):
    expected = {i for i, sentence in enumerate(CORPUS) if contains(sentence, text)}
    assert expected
    candidates, found = search(searcher, text)
    assert expected <= candidates
    assert found == expected


def test_search_recall_on_substrings_of_the_corpus(searcher):
    runs = [run for s in CORPUS for run in re.findall(r"[\u4e00-\u9fff]{4,}", s)]
    for n in (2, 3, 4):
        for run in runs[::7]:
            text = run[:n]
            assert search(searcher, text)[1] == {i for i, s in enumerate(CORPUS) if text in s}, text


def test_query_parser_ands_the_bigrams_of_a_word(searcher):
    parser = qparser.QueryParser("body", searcher.schema)
    assert str(parser.parse("大客户 漏水")) == "(body:大客 AND body:客户 AND body:漏水)"
    hits = {hit["id"] for hit in searcher.search(parser.parse("大客户"), limit=None)}
    assert {i for i, s in enumerate(CORPUS) if "大客户" in s} <= hits


@pytest.mark.parametrize("phrase", ["账单金额", "包裹破损", "客户投诉", "客户信息", "Router-X200", "密码忘记了"])
def test_phrase_of_words_still_matches(searcher, phrase):
    """The extras take no position, so a Whoosh phrase of the words of ``phrase`` finds every
    sentence that jieba cut into those words; it may find more, where an extra borders the next word.
    jieba cuts every occurrence of these phrases alike, so with ``contains`` the phrase is exact."""
    words = texts(tokenize(phrase, "plain"))
    assert len(words) > 1

    def has_words(sentence):
        tokens = texts(tokenize(sentence, "plain"))
        return any(tokens[i:i + len(words)] == words for i in range(len(tokens)))

    by_words = {i for i, sentence in enumerate(CORPUS) if has_words(sentence)}
    found = {hit["id"] for hit in searcher.search(Phrase("body", words), limit=None)}
    assert by_words and by_words <= found
    assert {i for i in found if contains(CORPUS[i], phrase)} == search(searcher, phrase)[1]


def test_bare_jieba_words_miss_what_the_index_finds(searcher):
    for text in ("大客户", "报修", "传菜", "保密"):
        expected = {i for i, s in enumerate(CORPUS) if text in s}
        by_words = {i for i in expected if text in texts(tokenize(CORPUS[i], "plain"))}
        assert by_words < expected
        assert search(searcher, text)[1] == expected
