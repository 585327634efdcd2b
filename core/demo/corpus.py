"""Deterministic generator of realistic customer-service text.

Used by `kefu demo` (a few hundred tickets) and by the bulk seeder (`kefu seed --tickets N`).
All data lives in this module; nothing is read at run time.

Speed: every template is compiled once, at import, into a closure that concatenates literal
pieces with slot values; every draw is `pool[int(random() * len(pool))]` on a
`random.Random(seed)`, so a ticket costs a few dozen cheap operations and the same seed always
yields the same sequence.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Iterable
from typing import NamedTuple

Rand = Callable[[], float]
Gen = Callable[[Rand], str]

CATEGORIES: dict[str, dict[str, str]] = {
    "inquiry": {"zh": "咨询", "en": "Inquiry"},
    "query": {"zh": "查询", "en": "Status query"},
    "complaint": {"zh": "投诉", "en": "Complaint"},
    "repair": {"zh": "报修", "en": "Repair / fault"},
    "suggestion": {"zh": "建议/表扬", "en": "Suggestion / praise"},
    "service_request": {"zh": "业务办理", "en": "Service request"},
    "urgent": {"zh": "紧急", "en": "Urgent"},
}

INDUSTRIES: dict[str, dict[str, str]] = {
    "generic": {"zh": "通用", "en": "General"},
    "property": {"zh": "物业管理", "en": "Property management"},
    "utility": {"zh": "供水/燃气/供电", "en": "Utilities"},
    "catering": {"zh": "餐饮楼面", "en": "Catering"},
    "logistics": {"zh": "物流", "en": "Logistics"},
}


class TicketText(NamedTuple):
    title: str
    body: str
    category: str
    industry: str


# Draw tables: each key repeated by its weight (percent), so one index draw picks a weighted key.
_CATEGORY_WEIGHTS = {
    "inquiry": 22, "query": 15, "complaint": 15, "repair": 25,
    "suggestion": 6, "service_request": 12, "urgent": 5,
}
_INDUSTRY_WEIGHTS = {"property": 30, "utility": 20, "catering": 15, "logistics": 20, "generic": 15}
_CATEGORY_DRAW = tuple(k for k, w in _CATEGORY_WEIGHTS.items() for _ in range(w))
_INDUSTRY_DRAW = tuple(k for k, w in _INDUSTRY_WEIGHTS.items() for _ in range(w))

# Body shape: probabilities of the optional parts around the core sentence.
_P_OPENING = 0.35   # "我是…的业主，" prefixed to the core sentence
_P_EXTRA = 0.45     # one detail sentence after the core
_P_MIXED = 0.06     # a code-mixed Chinese/English closing sentence
_P_CLOSING = 0.5    # otherwise, an ordinary closing sentence
_P_ENGLISH = 0.08   # an English-speaking customer, where an English topic exists
_P_WESTERN_NAME = 0.03


# --- people --------------------------------------------------------------------------------

def _pairs(spec: str) -> tuple[tuple[str, str], ...]:
    """'王:wang 李:li' -> (('王', 'wang'), ('李', 'li'))"""
    return tuple(tuple(item.split(":")) for item in spec.split())


# Ordered by frequency: the surname draw is skewed towards the head of the list.
_SURNAMES = _pairs("""
王:wang 李:li 张:zhang 刘:liu 陈:chen 杨:yang 黄:huang 赵:zhao 吴:wu 周:zhou 徐:xu 孙:sun 马:ma
朱:zhu 胡:hu 郭:guo 何:he 高:gao 林:lin 罗:luo 郑:zheng 梁:liang 谢:xie 宋:song 唐:tang 许:xu
韩:han 冯:feng 邓:deng 曹:cao 彭:peng 曾:zeng 肖:xiao 田:tian 董:dong 袁:yuan 潘:pan 于:yu
蒋:jiang 蔡:cai 余:yu 杜:du 叶:ye 程:cheng 苏:su 魏:wei 吕:lv 丁:ding 任:ren 沈:shen 姚:yao
卢:lu 姜:jiang 崔:cui 钟:zhong 谭:tan 陆:lu 汪:wang 范:fan 金:jin 石:shi 廖:liao 贾:jia 夏:xia
韦:wei 付:fu 方:fang 白:bai 邹:zou 孟:meng 熊:xiong 秦:qin 邱:qiu 江:jiang 尹:yin 薛:xue 闫:yan
段:duan 雷:lei 侯:hou 龙:long 史:shi 陶:tao 黎:li 贺:he 顾:gu 毛:mao 郝:hao 龚:gong 邵:shao
万:wan 钱:qian 严:yan 覃:qin 武:wu 戴:dai 莫:mo 孔:kong 向:xiang 汤:tang 欧阳:ouyang 司马:sima
""")

_GIVEN_NAMES = _pairs("""
伟:wei 芳:fang 娜:na 敏:min 静:jing 丽:li 强:qiang 磊:lei 军:jun 洋:yang 勇:yong 艳:yan 杰:jie
娟:juan 涛:tao 明:ming 超:chao 霞:xia 平:ping 刚:gang 辉:hui 鹏:peng 华:hua 飞:fei 鑫:xin 波:bo
斌:bin 宇:yu 浩:hao 凯:kai 健:jian 俊:jun 帆:fan 帅:shuai 旭:xu 宁:ning 琳:lin 欢:huan 阳:yang
建华:jianhua 建国:jianguo 建军:jianjun 志强:zhiqiang 志明:zhiming 国强:guoqiang 海燕:haiyan
秀英:xiuying 秀兰:xiulan 桂英:guiying 玉兰:yulan 丽娟:lijuan 丽华:lihua 晓燕:xiaoyan
晓明:xiaoming 晓东:xiaodong 春梅:chunmei 红梅:hongmei 文静:wenjing 文博:wenbo 海涛:haitao
海峰:haifeng 立新:lixin 金凤:jinfeng 淑珍:shuzhen 凤英:fengying 德明:deming 永刚:yonggang
振华:zhenhua 子涵:zihan 子轩:zixuan 浩然:haoran 宇轩:yuxuan 梓萱:zixuan 欣怡:xinyi 一诺:yinuo
雨桐:yutong 诗涵:shihan 思远:siyuan 俊杰:junjie 家豪:jiahao 佳怡:jiayi 嘉怡:jiayi 梦瑶:mengyao
雅琪:yaqi 心怡:xinyi 博文:bowen 天佑:tianyou 明轩:mingxuan 若曦:ruoxi 婷婷:tingting 丹丹:dandan
佳琪:jiaqi 思琪:siqi 晨曦:chenxi 宏伟:hongwei 建平:jianping 红霞:hongxia 美玲:meiling 慧敏:huimin
志伟:zhiwei 国华:guohua 桂芳:guifang 凤兰:fenglan 玉梅:yumei 卫东:weidong 爱国:aiguo 小红:xiaohong
小军:xiaojun 雪梅:xuemei 晓丽:xiaoli 晓峰:xiaofeng 鹏飞:pengfei 少华:shaohua 文华:wenhua
振宇:zhenyu 雨欣:yuxin 浩宇:haoyu 子墨:zimo 一鸣:yiming 语嫣:yuyan 若彤:ruotong 沐阳:muyang
安琪:anqi 嘉欣:jiaxin 梓豪:zihao 思彤:sitong 秀梅:xiumei 国庆:guoqing 淑芬:shufen 丽萍:liping
""")

_WESTERN_FIRST = ("David", "Michael", "James", "Sarah", "Emily", "Anna", "Thomas", "Daniel",
                  "Laura", "Kevin", "Peter", "Olivia", "Mark", "Sophie", "Lucas", "Emma")
_WESTERN_LAST = ("Smith", "Johnson", "Miller", "Brown", "Wilson", "Taylor", "Clark", "Martin",
                 "Anderson", "White", "Harris", "Walker", "Young", "King", "Wright", "Scott")

_SURNAME_PINYIN = dict(_SURNAMES)
_GIVEN_PINYIN = dict(_GIVEN_NAMES)
_N_SURNAMES = len(_SURNAMES)
_N_GIVEN = len(_GIVEN_NAMES)


def _surname_entry(r: Rand) -> tuple[str, str]:
    # The product of two uniforms favours the common surnames at the head of the list.
    return _SURNAMES[int(r() * r() * _N_SURNAMES)]


def _surname(r: Rand) -> str:
    return _surname_entry(r)[0]


def _chinese_name(r: Rand) -> str:
    return _surname_entry(r)[0] + _GIVEN_NAMES[int(r() * _N_GIVEN)][0]


def _western_name(r: Rand) -> str:
    return (_WESTERN_FIRST[int(r() * len(_WESTERN_FIRST))] + " "
            + _WESTERN_LAST[int(r() * len(_WESTERN_LAST))])


def _pinyin_parts(name: str) -> tuple[str, str] | None:
    """(surname, given name) in lowercase ASCII for a name this module can spell, else None."""
    if name.isascii():
        first, _, last = name.strip().lower().partition(" ")
        return (last, first) if first.isalpha() and last.isalpha() else None
    for cut in (2, 1):
        surname, given = _SURNAME_PINYIN.get(name[:cut]), _GIVEN_PINYIN.get(name[cut:])
        if surname and given:
            return surname, given
    return None


_MAIL_DOMAINS = ("example.com", "example.cn", "example.net", "example.org", "mail.example.cn")


def _email(r: Rand, name_hint: str | None) -> str:
    if name_hint is None:
        parts = (_surname_entry(r)[1], _GIVEN_NAMES[int(r() * _N_GIVEN)][1])
    else:
        parts = _pinyin_parts(name_hint)
    domain = "@" + _MAIL_DOMAINS[int(r() * len(_MAIL_DOMAINS))]
    if parts is None:
        return "user" + str(1000 + int(r() * 999000)) + domain
    surname, given = parts
    style = int(r() * 4)
    if style == 0:
        local = surname + given
    elif style == 1:
        local = given + "." + surname
    elif style == 2:
        local = surname + "_" + given
    else:
        local = given[0] + surname
    return local + str(int(r() * 10000)) + domain


_MOBILE_PREFIXES = tuple("""
130 131 132 133 134 135 136 137 138 139 145 147 150 151 152 153 155 156 157 158 159 166 170 173
175 176 177 178 180 181 182 183 184 185 186 187 188 189 191 193 195 196 198 199
""".split())


def _phone(r: Rand) -> str:
    return _MOBILE_PREFIXES[int(r() * len(_MOBILE_PREFIXES))] + "%08d" % int(r() * 100000000)


# --- organisations and places --------------------------------------------------------------

_CITIES = tuple("""
北京 上海 广州 深圳 杭州 南京 苏州 成都 重庆 武汉 西安 天津 长沙 郑州 青岛 厦门 宁波 合肥 济南 福州
昆明 南宁 无锡 佛山 东莞 大连 沈阳 哈尔滨 石家庄 南昌 贵阳 太原 温州 珠海 常州 徐州
""".split())
_BRANDS = tuple("""
恒信 宏达 鑫源 瑞祥 安居 锦程 嘉禾 博远 盛世 中联 华宇 天润 佳和 永泰 金桥 新世纪 海纳 同创 鼎盛
正通 凯旋 东方 汇通 明德 远航 金诚 和信 众合 华茂 兴隆 星辰 云帆 九州 蓝海 鸿运 德润 安泰 启航
""".split())
_BUSINESSES = tuple("""
物业服务 物业管理 供水 燃气 电力工程 餐饮管理 酒店管理 物流 供应链管理 速运 网络科技 信息技术 贸易
电子商务 建筑装饰 房地产开发 医疗器械 食品 文化传媒 教育咨询 机械设备 环保科技 汽车销售 服装
""".split())
_COMPANY_SUFFIXES = ("有限公司", "有限公司", "有限公司", "股份有限公司", "集团有限公司", "有限责任公司")
_INSTITUTIONS = ("市第一人民医院", "市实验小学", "市图书馆", "市第三中学", "市妇幼保健院",
                 "市职业技术学院", "市人民政府办公室", "市体育中心", "市中心医院", "市外国语学校")


def _company(r: Rand) -> str:
    city = _CITIES[int(r() * len(_CITIES))]
    if r() < 0.12:
        return city + _INSTITUTIONS[int(r() * len(_INSTITUTIONS))]
    return (city + _BRANDS[int(r() * len(_BRANDS))] + _BUSINESSES[int(r() * len(_BUSINESSES))]
            + _COMPANY_SUFFIXES[int(r() * len(_COMPANY_SUFFIXES))])


_DISTRICTS = tuple("""
北京市朝阳区 北京市海淀区 北京市丰台区 上海市浦东新区 上海市徐汇区 上海市闵行区 广州市天河区
广州市海珠区 广州市白云区 深圳市南山区 深圳市福田区 深圳市龙岗区 杭州市西湖区 杭州市余杭区
杭州市滨江区 南京市鼓楼区 南京市江宁区 苏州市工业园区 苏州市吴中区 成都市武侯区 成都市高新区
重庆市渝北区 重庆市南岸区 武汉市洪山区 武汉市江汉区 西安市雁塔区 天津市南开区 长沙市岳麓区
郑州市金水区 青岛市崂山区 厦门市思明区 宁波市鄞州区 合肥市蜀山区 济南市历下区 福州市鼓楼区
昆明市五华区 无锡市滨湖区 佛山市南海区 东莞市南城街道 大连市沙河口区
""".split())
_ROADS = tuple("""
人民路 解放路 中山路 建设路 和平路 文化路 新华路 长江路 黄河路 滨江大道 科技路 学府路 朝阳路 东风路
青年路 光明路 花园路 幸福路 迎宾大道 工业大道 胜利路 团结路 文三路 天府大道 红旗路 振兴路 复兴路
""".split())
_ESTATES = tuple(a + b for a in """
阳光 金色 翠湖 锦绣 幸福 和谐 紫荆 枫林 桂香 丽景 滨江 江南 御景 书香 春晓 康乐 星河 明珠 海棠 金域
半岛 银杏 梧桐 香樟 翡翠 蓝湾 东湖 西溪 南山 北辰
""".split() for b in ("花园", "小区", "家园", "新村", "华庭", "雅苑", "公馆", "名苑", "嘉园", "新城"))
_BUILDINGS = tuple(f"{i}栋" for i in range(1, 33)) + tuple(f"{i}号楼" for i in range(1, 21))
_UNITS = tuple(f"{i}单元" for i in range(1, 5))
_ROOM_NUMBERS = tuple(f"{floor}{door:02d}" for floor in range(1, 34) for door in range(1, 5))
_ROOMS = tuple(n + "室" for n in _ROOM_NUMBERS)


def _estate(r: Rand) -> str:
    return _ESTATES[int(r() * len(_ESTATES))]


def _home(r: Rand) -> str:
    return (_BUILDINGS[int(r() * len(_BUILDINGS))] + _UNITS[int(r() * len(_UNITS))]
            + _ROOMS[int(r() * len(_ROOMS))])


def _street(r: Rand) -> str:
    return _ROADS[int(r() * len(_ROADS))] + str(1 + int(r() * 600)) + "号"


def _address(r: Rand) -> str:
    return (_DISTRICTS[int(r() * len(_DISTRICTS))] + _street(r) + _estate(r) + _home(r))


# --- slot values ---------------------------------------------------------------------------

def _choice(*pool: str) -> Gen:
    n = len(pool)
    return lambda r: pool[int(r() * n)]


def _digits(width: int, first: str = "") -> Gen:
    """`first` (optional leading digits) followed by random digits, `width` digits in all."""
    rest = width - len(first)
    span, fmt = 10 ** rest, first + "%0" + str(rest) + "d"
    return lambda r: fmt % int(r() * span)


def _one_of(*gens: Gen) -> Gen:
    n = len(gens)
    return lambda r: gens[int(r() * n)](r)


def _amount(r: Rand) -> str:
    return "%d.%02d" % (30 + int(r() * 870), int(r() * 100))


def _pickup_code(r: Rand) -> str:
    return "%d-%d-%04d" % (1 + int(r() * 9), 1 + int(r() * 6), int(r() * 10000))


_SLOTS: dict[str, Gen] = {
    "name": lambda r: _surname(r) + ("先生", "女士")[int(r() * 2)],
    "surname": _surname,
    "staff_name": _chinese_name,
    "phone": _phone,
    "tail4": _digits(4),
    "email": lambda r: _email(r, None),
    "company": _company,
    "estate": _estate,
    "home": _home,
    "bldg": _choice(*_BUILDINGS),
    "unit": _choice(*_UNITS),
    "bnum": _choice(*(str(i) for i in range(1, 33))),
    "room_no": _choice(*_ROOM_NUMBERS),
    "floor": _choice(*(str(i) for i in range(3, 34))),
    "street": _street,
    "city": _choice(*_CITIES),
    "city2": _choice(*_CITIES),
    "when": _choice("昨天晚上", "今天早上", "今天上午", "今天中午", "昨天下午", "前天", "上周五",
                    "上个周末", "三天前", "今天凌晨", "上周", "昨天夜里十一点多", "今天早上七点左右",
                    "上周三"),
    "times": _choice("两次", "三次", "好几次", "四五次", "不下五次", "多次"),
    "n_days": _choice("两天", "三天", "四天", "一个星期", "五六天", "十来天", "半个月"),
    "minutes": _choice("二十多分钟", "半个小时", "四十分钟", "快一个小时", "二十五分钟", "三十五分钟"),
    "date": _choice("本周六晚上", "这周日中午", "下周五晚上", "明天中午", "明天晚上六点", "5月20日晚上",
                    "国庆节当天中午", "下个月8号中午", "后天晚上七点", "元旦晚上", "中秋节晚上"),
    "visit": _choice("下午五点以后", "周末全天", "工作日晚上七点后", "明天上午", "今天下午"),
    "month": _choice("1月份", "3月份", "上个月", "这个月", "去年12月", "6月份", "上半年"),
    "people": _choice(*(str(i) for i in range(2, 21))),
    "amount": _amount,
    "account": _digits(10, "02"),
    "meter": _digits(10, "3"),
    "waybill": _one_of(_digits(13, "77"), _digits(12, "43"), _digits(13, "31"), _digits(12, "6")),
    "order": _digits(16, "2"),
    "code": _pickup_code,
    "volume": _choice("三千", "五千多", "一万", "两万", "八千左右", "一万五"),
    "volume_en": _choice("3,000", "5,000", "10,000", "20,000", "8,000"),
    "prop_fault": _choice("厨房水龙头漏水", "入户门锁坏了", "阳台推拉门卡住", "楼道灯晚上不亮", "马桶漏水",
                          "门禁卡刷不开", "墙面渗水发霉", "可视对讲没声音"),
    "table": _choice("8号台", "12号台", "大厅A3桌", "大厅15号桌", "二楼6号台", "牡丹厅", "芙蓉厅",
                     "VIP3包间", "888包间", "兰亭阁"),
    "room_name": _choice("牡丹厅", "芙蓉厅", "兰亭阁", "紫薇厅", "VIP3包间", "888包间", "荷花厅",
                         "聚贤厅"),
    "dish": _choice("宫保鸡丁", "水煮鱼", "清蒸鲈鱼", "红烧肉", "酸菜鱼", "小炒黄牛肉", "干锅花菜",
                    "东坡肉", "蒜蓉粉丝扇贝", "剁椒鱼头", "糖醋排骨", "麻婆豆腐", "白切鸡", "北京烤鸭",
                    "回锅肉", "西湖醋鱼", "清炒时蔬", "扬州炒饭", "酸辣土豆丝", "香辣蟹"),
    "goods": _choice("一箱水果", "笔记本电脑", "陶瓷餐具", "两箱茶叶", "一台显示器", "手机", "几件衣服",
                     "一箱红酒", "样品", "玻璃花瓶", "电饭煲", "一批配件", "合同原件"),
    "errcode": _choice("ERR-504", "ERR-401", "ERR-500", "E1002", "ERR-TIMEOUT", "HTTP 502",
                       "ERR-403", "E2031"),
    "device": _choice("Router X200", "Router X200 Pro", "Mesh AX3000", "光猫 HG8245",
                      "机顶盒 TV-Box S1"),
    "app_ver": _choice("3.2", "3.2.1", "3.1.8", "4.0", "4.0.2"),
    "os": _choice("iOS 17", "iOS 18", "Android 14", "HarmonyOS 4", "Windows 11", "macOS"),
    "browser": _choice("Chrome", "Safari", "Edge", "Firefox", "微信内置浏览器", "360浏览器"),
    "arrive": _choice("20分钟内", "半小时内", "15分钟左右", "40分钟内"),
    "appoint": _choice("明天上午", "今天下午三点", "周六上午十点", "明天下午两点到四点", "今晚七点"),
    "eta": _choice("今天下午三点前", "明天上午", "两小时内", "今天下班前", "24小时内", "3个工作日内"),
    "progress": _choice("已派单给维修班组", "正在现场处理", "已提交主管审核", "等待配件到货",
                        "已安排专人跟进", "已转相关部门处理"),
}

_SLOT_RE = re.compile(r"\{(\w+)\}")


def _compile(template: str) -> Gen:
    """Turn 'a{slot}b' into a closure r -> 'a' + slot(r) + 'b'. Unknown slots fail at import."""
    parts = _SLOT_RE.split(template)
    stray_brace = any("{" in lit or "}" in lit for lit in parts[0::2])
    if stray_brace or not set(parts[1::2]) <= _SLOTS.keys():
        raise ValueError(f"malformed template or unknown slot: {template!r}")
    head = parts[0]
    fills = tuple((_SLOTS[parts[i]], parts[i + 1]) for i in range(1, len(parts), 2))
    if not fills:
        return lambda r: head
    if len(fills) == 1:
        ((fn, tail),) = fills
        return lambda r: head + fn(r) + tail

    def fill(r: Rand) -> str:
        out = head
        for fn, lit in fills:
            out += fn(r) + lit
        return out

    return fill


def _pool(templates: Iterable[str]) -> tuple[Gen, ...]:
    return tuple(_compile(t) for t in templates)


# --- ticket text ---------------------------------------------------------------------------
# _TOPICS[industry][category] lists topics. A topic is ("title|title|…", body, body, …): any of
# its titles fits any of its core body sentences (one or two sentences each). A slot never
# appears in both the title and the body of a topic, since the two draws would disagree.

_TOPICS: dict[str, dict[str, tuple[tuple[str, ...], ...]]] = {
    "property": {
        "inquiry": (
            ("物业费收费标准咨询|咨询物业费单价",
             "想问一下{estate}的物业费是按什么标准收的，每平米多少钱？",
             "今年的物业费单价是多少？公共能耗费是另外收吗？"),
            ("物业费缴纳方式咨询|物业费怎么交",
             "物业费可以在微信上交吗？还是必须去物业服务中心？",
             "物业费可以按月交吗？支付宝能不能交？"),
            ("新房物业费起算时间|物业费从何时开始算",
             "我家{home}是刚收的房，物业费从哪天开始算？"),
            ("装修申请需要什么材料|装修手续咨询",
             "准备装修，请问办理装修申请需要带哪些材料，装修押金交多少？",
             "装修要先去物业登记吗？需要装修公司提供什么资质？"),
            ("装修施工时间咨询|装修可以周末施工吗",
             "装修公司周末可以施工吗？每天几点到几点可以动工？"),
            ("小区车位租用咨询|地下车位出租咨询",
             "请问小区地下车库还有没有车位出租，月租多少钱？"),
            ("访客车辆怎么登记|访客停车咨询",
             "家里亲戚开车过来，访客车辆进小区需要怎么登记？"),
            ("入伙手续办理咨询|新业主入伙要带什么",
             "我是{estate}的新业主，想咨询一下入伙要带哪些资料，需要提前预约吗？"),
        ),
        "query": (
            ("报修进度查询|报修一直没人上门",
             "{when}报修的{prop_fault}到现在还没人上门，麻烦查一下进度。",
             "我家{prop_fault}，{n_days}前就报修了，请问派工了没有？"),
            ("物业费缴费记录查询|查询物业费交到几月",
             "麻烦帮我查一下{home}的物业费交到几月份了。"),
            ("已缴费仍收到催缴通知|物业费催缴有误",
             "我{month}已经交过物业费了，为什么还收到催缴通知？"),
            ("查询前台代收的快递|快递是否在物业前台",
             "请问有没有我的快递放在物业前台？收件人{name}，手机尾号{tail4}。"),
        ),
        "complaint": (
            ("楼上噪音扰民|夜间噪音扰民",
             "楼上邻居每天晚上十一点以后还在拖椅子、蹦跳，严重影响休息。"),
            ("装修噪音太大|邻居违规时间装修",
             "隔壁装修中午和周末也在用电钻，跟物业说过{times}了都没人管。"),
            ("广场舞噪音扰民|小区广场舞太吵",
             "小区广场舞音响声音太大，一直跳到晚上十点，家里老人孩子没法休息。"),
            ("楼道垃圾无人清理|小区卫生太差",
             "{bldg}楼道里的垃圾堆了{n_days}没人清理，味道很大。",
             "垃圾桶周围到处是垃圾，保洁好几天没来了，夏天苍蝇很多。"),
            ("电梯频繁故障|电梯维保不到位",
             "{bldg}的电梯这个月已经坏了{times}，每次修完没几天又停，到底有没有按时维保？"),
            ("保安服务态度恶劣|门岗保安态度差",
             "今天回小区时门口保安态度很差，问了两句就冲我大声嚷嚷。",
             "快递员被门岗拦着不让进，我下楼解释，保安还出言不逊。"),
            ("物业费涨价不合理|物业费上涨无说明",
             "今年物业费突然涨价，也没有开业主大会，希望物业给个解释。"),
            ("消防通道被占用|车辆乱停占消防通道",
             "{bldg}楼下的消防通道天天停满了车，真出事消防车都进不来，物业一直不管。"),
        ),
        "repair": (
            ("卫生间天花板渗水|卫生间漏水请维修|{bldg}{unit}卫生间漏水",
             "卫生间天花板一直在往下滴水，怀疑是楼上的防水层坏了。",
             "卫生间吊顶在渗水，灯里都进水了，不敢开。"),
            ("卫生间地漏反水|卫生间漏水请维修",
             "卫生间地漏反水，地面全是水，麻烦派维修师傅来看看。"),
            ("卫生间漏水到楼下|楼下反映我家漏水",
             "楼下邻居说我家卫生间漏水渗到他家了，请安排人上门检查。"),
            ("楼道灯晚上不亮|楼道感应灯坏了",
             "{bldg}{unit}楼道的感应灯坏了好几层，晚上上下楼很不安全。"),
            ("单元门禁坏了|门禁刷卡没反应",
             "单元门的门禁刷卡没反应，门也关不上，谁都能进。"),
            ("厨房下水道堵塞|厨房下水道堵了",
             "厨房下水道堵了，水下不去，自己用疏通剂也没用。"),
            ("一楼下水管返臭|地漏冒水返臭",
             "一楼的下水管返臭味，地漏还往上冒水。"),
            ("电梯运行有异响|电梯晃动厉害",
             "{bldg}的电梯运行时有很大的摩擦声，晃得厉害，坐着心慌。"),
            ("下雨窗户渗水|外墙渗水发霉",
             "一下雨卧室窗户边就渗水，墙面已经发霉起皮了。"),
        ),
        "suggestion": (
            ("表扬维修师傅|感谢维修师傅上门",
             "维修工{surname}师傅上门修好了我家的水管，很耐心，还把地面收拾干净了，特此表扬。"),
            ("表扬物业管家|感谢管家热心服务",
             "管家小{surname}对业主的事情很上心，每次反映问题都能及时跟进。"),
            ("建议增加充电桩|地库充电桩建议",
             "小区电动车越来越多，建议在地下车库增加充电桩。"),
            ("建议加装快递柜|快递柜加装建议",
             "建议在{bldg}门口加装一个快递柜，方便业主取件。"),
            ("建议增加儿童游乐设施|小区设施改进建议",
             "小区里孩子很多，建议在中心花园增加一些儿童游乐设施。"),
        ),
        "service_request": (
            ("门禁卡丢失补办|申请办理门禁卡",
             "门禁卡丢了，需要补办一张，要带什么证件？费用多少？",
             "家里请了保姆，想给她办一张门禁卡。"),
            ("办理装修出入证|装修工人出入证申请",
             "{home}下周开始装修，需要给施工人员办理出入证。"),
            ("预约家政保洁|家政保洁预约",
             "想预约一次家政保洁，{date}上门，请问怎么收费？"),
            ("申请有偿维修服务|预约上门安装热水器",
             "家里热水器要换，想请物业的师傅有偿上门安装。"),
            ("预约办理入伙|入伙手续办理预约",
             "想预约{date}办理入伙手续，房号{home}。"),
        ),
        "urgent": (
            ("电梯困人请求救援|紧急：电梯困人|电梯困人请速来",
             "{bldg}{unit}的电梯突然停了，里面困了{people}个人，有老人和小孩，请马上派人过来！",
             "电梯困人已经十多分钟了，按了紧急按钮没人应答！"),
            ("家中水管爆裂|水管爆了请速来",
             "家里水管爆了，水一直在喷，总阀在哪里？请马上派人来！"),
            ("楼道有很大烟味|疑似火情请速查",
             "{bldg}楼道里有很大的烟味，好像哪家着火了，请赶紧派人查看！"),
        ),
    },
    "utility": {
        "inquiry": (
            ("居民阶梯水价咨询|水价怎么计算",
             "想了解一下现在居民用水阶梯水价是怎么算的？",
             "家里人口多，阶梯水价可以申请调整吗？"),
            ("水费缴纳方式咨询|水费能否线上缴纳",
             "水费除了营业厅还能在哪里交？支付宝和微信可以吗？"),
            ("计划停水时间咨询|停水什么时候恢复",
             "收到短信说{street}附近要计划停水，请问具体几点到几点？",
             "今天停水说是管网改造，什么时候能恢复供水？"),
            ("自来水发黄能喝吗|水质问题咨询",
             "这两天自来水有点发黄，水质有没有问题，烧开了能喝吗？"),
            ("燃气安检是否收费|燃气安检咨询",
             "上门燃气安检要不要收费？怎么确认是不是你们公司的人？"),
            ("燃气表更换咨询|燃气表到期换表",
             "燃气表用了快十年了，需要自己出钱换吗？"),
        ),
        "query": (
            ("账单金额异常|水费突然变高",
             "我家这个月水费{amount}元，比平时高了好几倍，麻烦帮忙核对一下抄表读数。"),
            ("水费账单查询|上月用水量查询",
             "用户编号{account}，想查一下上个月的用水量和账单金额。"),
            ("抢修进度查询|停水抢修进展",
             "{when}报的停水，到现在还没来水，抢修进展到哪一步了？"),
            ("过户办理进度查询|过户什么时候办好",
             "{n_days}前在营业厅办的过户，到现在账单上还是原户主的名字。"),
            ("电费余额查询|电费扣款查询",
             "户号{account}，想查一下电费余额，为什么这个月扣了{amount}元？"),
        ),
        "complaint": (
            ("停水没有提前通知|突然停水无通知",
             "今天早上突然停水，事先一点通知都没有，家里老人孩子都没法用水。"),
            ("水压长期偏低|高层水压太低",
             "我家住{floor}楼，水压一直很低，热水器都打不着火，反映了{times}都没解决。"),
            ("抄表员估抄水量|水表读数对不上",
             "水费单上的读数和水表上的对不上，怀疑抄表员没有上门，直接估抄的。"),
            ("营业厅工作人员态度差|营业厅服务态度差",
             "在营业厅办业务时工作人员态度冷淡，问两句就不耐烦。"),
            ("营业厅排队太久|营业厅窗口太少",
             "营业厅只开了一个窗口，排了一个多小时还没轮到。"),
            ("安检人员强行推销|燃气安检乱收费",
             "上门安检的人员强行推销燃气报警器，不买就说不合格，这符合规定吗？"),
        ),
        "repair": (
            ("家里停水了请处理|{street}一带停水|家里突然没水了",
             "家里从{when}开始没水了，邻居家也一样，是不是管道出问题了？"),
            ("水表玻璃破裂|水表指针不走字|水表故障需要换表",
             "水表号{meter}，表盘玻璃裂了，指针也不转，麻烦派人来换表。"),
            ("水表异常转动|没用水水表也在走",
             "家里没用水的时候水表也在转，怀疑水表坏了或者有暗漏。"),
            ("路面管道漏水|路边水管冒水",
             "{street}路边有一处地面一直在冒水，应该是供水管道破了。"),
            ("家里突然停电|整栋楼突然停电",
             "家里突然停电了，看了空开没有跳闸，整栋楼都没电。"),
            ("燃气灶打不着火|燃气表有余额却没气",
             "燃气表显示有余额，可是灶台打不着火，阀门也开着。"),
        ),
        "suggestion": (
            ("表扬抢修班组|感谢连夜抢修",
             "昨晚水管爆裂，抢修班组半夜赶到，连夜修好了，非常感谢！"),
            ("表扬营业厅工作人员|营业厅服务很好",
             "营业厅{staff_name}帮我办过户，材料不全还耐心指导，服务很好。"),
            ("建议停水提前通知|停水通知方式建议",
             "建议计划停水能提前两天发短信通知，并在小区张贴公告。"),
            ("建议开通电子发票|发票开具建议",
             "建议开通电子发票，每次都去营业厅打印太麻烦了。"),
        ),
        "service_request": (
            ("办理水费过户|水表过户申请",
             "刚买的二手房，想把水费户名过户到我名下，需要准备哪些材料？",
             "房子卖了，需要办理过户，新业主{name}会一起去营业厅。"),
            ("新装用水申请|厂房用水报装",
             "新建厂房需要申请接水，用水量比较大，请问报装流程怎么走？"),
            ("申请用水销户|用水销户办理",
             "房屋拆迁了，申请办理销户，用户编号{account}。"),
            ("新房燃气开通预约|预约燃气点火",
             "新房装修好了，想预约{date}上门开通燃气。"),
        ),
        "urgent": (
            ("燃气泄漏请速来|厨房有燃气味",
             "厨房里燃气味很重，已经关了阀门开窗通风，请马上派人来检查！"),
            ("供水主管道爆裂|路口水管爆了",
             "{street}路口的水管爆了，水漫到马路上了，请马上派人抢修！"),
            ("楼下电线冒火花|电线掉落危险",
             "楼下的电线掉下来了，还在冒火花，很危险，请立即派人处理！"),
        ),
    },
    "catering": {
        "inquiry": (
            ("包间最低消费咨询|包间还有空位吗",
             "请问你们包间有最低消费吗？十个人左右的包间还有吗？"),
            ("是否有素食菜品|素食菜品咨询",
             "同行有位客人吃素，菜单上有素食菜品吗？"),
            ("儿童餐和座椅咨询|是否有儿童座椅",
             "带小孩过来，有没有儿童餐和儿童座椅？"),
            ("餐厅停车咨询|停车是否收费",
             "开车过去能停车吗？停车收不收费？"),
            ("营业时间咨询|晚上几点停止点单",
             "请问你们晚上营业到几点，几点停止点单？"),
        ),
        "query": (
            ("查询包间预订|预订是否成功",
             "我订了{date}的{room_name}，{people}个人，想确认一下预订有没有成功。"),
            ("外卖订单进度|外卖还没送到",
             "外卖订单{order}下单一个多小时了还没送到，麻烦查一下。"),
            ("会员积分查询|查询会员卡积分",
             "想查一下会员卡里还有多少积分，手机号{phone}。"),
        ),
        "complaint": (
            ("上菜太慢催了多次|等菜超过半小时|催菜：热菜迟迟不上",
             "我们在{table}点完菜已经{minutes}了，只上了两个凉菜，热菜一个都没上。",
             "催了服务员{times}，每次都说马上，到现在{dish}还没上。"),
            ("菜品口味太咸|菜太咸要求退菜",
             "{dish}太咸了，根本没法吃，要求退菜。"),
            ("菜里吃出头发|菜品里有异物",
             "{dish}里吃出了头发，太恶心了。"),
            ("菜品不新鲜是凉的|菜端上来是凉的",
             "{dish}端上来是凉的，明显不是现做的。"),
            ("结账时多收钱|结账账单有误",
             "结账时发现账单上多了一道没点过的{dish}，服务员还说是我们点的。"),
            ("服务员态度差|楼面服务不周到",
             "叫了好几次服务员都没人理，加水加了三次才送来。"),
        ),
        "repair": (
            ("包间空调不制冷|包间空调坏了",
             "我们在{room_name}吃饭，空调不制冷，热得满头大汗，麻烦赶紧找人看看。"),
            ("点餐系统故障|无法点餐下单",
             "桌上的二维码扫了以后一直加载，点不了菜。",
             "{table}桌上的点餐平板死机了，点不了菜。"),
            ("包间电视无法投屏|包间投屏故障",
             "订的{room_name}电视投不了屏，我们晚上要放生日视频。"),
        ),
        "suggestion": (
            ("表扬楼面服务员|服务员服务很周到",
             "{table}的服务员小{surname}服务特别周到，主动帮我们分菜、换骨碟，点赞。"),
            ("表扬咨客热情服务|生日宴服务贴心",
             "带老人来过生日，咨客帮忙布置了包间，还送了长寿面，很感动。"),
            ("建议菜单标注辣度|菜单改进建议",
             "建议菜单上标注辣度，外地客人不太能吃辣。"),
            ("建议增加儿童座椅|儿童座椅不够",
             "周末带小孩的客人多，建议多准备几把儿童座椅。"),
        ),
        "service_request": (
            ("预订聚餐包间|包间预订申请",
             "想订{date}的包间，{people}个人，是生日宴，需要帮忙准备蛋糕和布置。",
             "公司聚餐，{date}{people}个人，需要一个带投影的大包间。"),
            ("上错菜申请退菜|上错菜退菜处理",
             "{dish}上错了，我们没有点，麻烦退掉。"),
            ("开具餐饮发票|用餐后补开发票",
             "{when}在店里用餐，忘了开发票，抬头是{company}，可以补开吗？"),
        ),
        "urgent": (
            ("客人过敏请经理速来|用餐后出现过敏",
             "我们在{table}，朋友吃了{dish}后出现过敏症状，请经理马上过来！"),
            ("上菜时客人被烫伤|上汤时烫伤孩子",
             "服务员上汤时洒到我孩子手上，烫红了一大片，需要马上处理！"),
            ("紧急订单：明天团餐|临时加订工作餐",
             "明天中午临时要加订三十份工作餐，十一点半前必须送到{company}。"),
        ),
    },
    "logistics": {
        "inquiry": (
            ("寄件运费咨询|寄件时效咨询",
             "从{city}寄{goods}到{city2}，大概多少运费，几天能到？"),
            ("锂电池能否寄送|禁寄物品咨询",
             "充电宝和锂电池可以寄吗？需要什么包装？"),
            ("保价服务咨询|贵重物品怎么保价",
             "寄{goods}想保价，保价费怎么算？丢了怎么赔？"),
        ),
        "query": (
            ("运单物流查询|物流信息不更新|查询快递到哪了",
             "运单号{waybill}，物流信息已经{n_days}没有更新了，麻烦查一下包裹在哪里。",
             "寄往{city}的件现在到哪了？运单号{waybill}。"),
            ("理赔进度查询|理赔款什么时候到",
             "运单{waybill}的理赔申请提交{n_days}了，还没有结果。"),
            ("快递柜取件码查询|快递柜取件码丢失",
             "快递放在{estate}的快递柜里了，可是取件短信被我删了。"),
        ),
        "complaint": (
            ("快递严重延误|承诺次日达却延误",
             "说好次日达，结果{n_days}了还没送到，耽误了我的事情。"),
            ("包裹破损物品损坏|收到的包裹破损严重",
             "收到的包裹外箱破了，里面的{goods}摔坏了，运单号{waybill}。"),
            ("快递员未送货上门|未签收显示已签收",
             "快递员没打电话就把包裹放在小区门口，还显示已签收。"),
            ("未经同意放驿站|备注送货上门被无视",
             "备注了送货上门，结果直接放驿站，也没有通知我。"),
            ("包裹显示签收却丢失|快件丢件无人处理",
             "运单{waybill}显示已签收，但我根本没有收到，问了快递员说不清楚。"),
        ),
        "repair": (
            ("快递柜柜门打不开|小区快递柜故障",
             "{estate}门口的快递柜柜门打不开，取件码{code}输了好几次都不行。"),
            ("电子面单打印机故障|面单打印不出来",
             "我们仓库的电子面单打印机打出来是空白的，今天的货都发不出去。"),
            ("寄件小程序无法下单|下单页面报错",
             "寄件小程序填完地址一提交就报错 {errcode}。"),
        ),
        "suggestion": (
            ("表扬派件快递员|快递员服务很好",
             "快递员{surname}师傅每次都送货上门，东西重还帮忙搬上楼，服务很好。"),
            ("建议增加周末派送|建议支持预约派送",
             "上班族工作日没人在家，建议增加周末派送和预约派送。"),
            ("建议延长驿站营业时间|驿站关门太早",
             "驿站晚上八点就关门了，建议延长到十点。"),
        ),
        "service_request": (
            ("破损件理赔申请|货物损坏申请理赔",
             "运单{waybill}的货物在运输中损坏，申请理赔，照片和购买发票都准备好了。"),
            ("大客户月结账户申请|申请开通月结",
             "我们公司每月发货量大约{volume}件，想开通月结账户，签大客户协议。"),
            ("大客户月度对账|申请月度统计分析表",
             "请提供上个月的月度统计分析表和对账单，我们财务要核对。"),
            ("预约上门取件|上门取件预约",
             "想预约{date}上门取件，寄{goods}到{city}。"),
            ("修改收件地址|快件修改收件地址",
             "运单{waybill}的收件地址写错了，需要改成{street}。"),
            ("API 下单对接申请|系统对接咨询",
             "我们想通过 API 对接你们的下单系统，有没有接口文档和测试账号？"),
        ),
        "urgent": (
            ("紧急订单：今天必须发出|加急件安排专车",
             "有一批{goods}今天下午必须送到{city}，能不能安排加急专车？"),
            ("寄错地址请紧急拦截|申请快件拦截退回",
             "寄错地址了，运单号{waybill}，请马上拦截退回！"),
        ),
    },
    "generic": {
        "inquiry": (
            ("如何开具电子发票|电子发票申请咨询",
             "请问在哪里申请开具电子发票？抬头写{company}。"),
            ("发票抬头怎么修改|发票抬头写错了",
             "发票抬头写错了，还能修改吗？"),
            ("如何修改绑定手机号|更换绑定手机号",
             "换了手机号，账户绑定的手机号怎么修改？"),
            ("账户实名认证咨询|实名认证审核太慢",
             "账户实名认证一直审核中，需要多久？"),
            ("App 怎么绑定户号|新版 App 功能咨询",
             "新版 App {app_ver} 里找不到绑定户号的入口，请问在哪？"),
            ("客服工作时间咨询|人工客服几点上班",
             "请问人工客服是几点到几点？周末有人值班吗？"),
        ),
        "query": (
            ("发票开具进度查询|发票还没收到",
             "{when}申请的发票到现在还没收到，麻烦查一下，邮箱是{email}。"),
            ("退款进度查询|退款一直未到账",
             "订单{order}申请退款{n_days}了，钱还没退回来。"),
            ("工单处理进度查询|留言一直没有回复",
             "{when}在网上留言反映的问题一直没有回复，想问一下进度。"),
        ),
        "complaint": (
            ("客服热线一直打不通|在线客服无人回复",
             "打了{times}客服热线都是忙音，在线客服也没人回复。"),
            ("费用被重复扣款|同一笔费用扣了两次",
             "同一笔{amount}元被扣了两次，要求退还多扣的钱。"),
            ("问题反复没解决|客服推诿扯皮",
             "同一个问题反映了{times}，每次都说转给相关部门，到现在没有结果。"),
        ),
        "repair": (
            ("网站登录失败|网站无法登录|网站登录报错",
             "网站登录一直提示 {errcode}，换了 {browser} 也不行。",
             "输入验证码后页面一直转圈，无法登录。"),
            ("收不到验证码|重置密码收不到短信",
             "重置密码时手机一直收不到验证码，已经试了{times}。"),
            ("WiFi 连不上|路由器红灯闪",
             "家里的 {device} 指示灯一直红灯闪，WiFi 连不上。"),
            ("WiFi 经常掉线|家里网速太慢",
             "WiFi 信号很弱，经常掉线，测速不到 2Mbps。"),
            ("App 闪退|App 打不开",
             "手机更新到 {os} 后，App {app_ver} 一打开就闪退。"),
            ("App 支付报错|支付成功订单未生成",
             "App 支付时提示 {errcode}，钱扣了订单却没有生成。"),
        ),
        "suggestion": (
            ("建议App增加夜间模式|App 适老化建议",
             "建议 App 增加夜间模式和大字版，方便老年人使用。"),
            ("建议优化缴费流程|缴费步骤太多",
             "线上缴费步骤太多，建议一键缴费。"),
            ("表扬在线客服|感谢客服耐心解答",
             "在线客服{staff_name}很耐心，一步一步教我操作，非常感谢。"),
        ),
        "service_request": (
            ("申请重置密码|忘记登录密码",
             "忘记登录密码了，绑定的手机号也换了，怎么重置？"),
            ("申请注销账户|账户注销办理",
             "不再使用了，申请注销账户，余额怎么退？"),
            ("申请增值税专用发票|开具增值税专票",
             "我们需要开增值税专用发票，公司名称{company}，税号稍后发邮件。"),
        ),
        "urgent": (
            ("账户疑似被盗|账户异地登录请冻结",
             "收到短信说账户在异地登录，我本人没有操作，请马上冻结账户！"),
            ("系统无法访问业务中断|紧急：系统宕机",
             "我们公司的系统从{when}起无法访问，返回 {errcode}，业务全停了，请紧急处理！"),
        ),
    },
}

# English-speaking customers: (industry, category) -> topics, same shape as _TOPICS.
_ENGLISH_TOPICS: dict[tuple[str, str], tuple[tuple[str, ...], ...]] = {
    ("property", "repair"): (
        ("Bathroom ceiling leaking|Leak in my bathroom",
         "Hi, water keeps dripping from my bathroom ceiling, Room {room_no}, {estate}. "
         "Could you send someone today?"),
        ("Bathroom drain blocked|Bathroom flooded",
         "The drain in my bathroom is blocked and the floor is flooded. Please help."),
    ),
    ("property", "complaint"): (
        ("Noise from upstairs|Noise after midnight",
         "My upstairs neighbours make loud noise after midnight almost every day. "
         "Please talk to them."),
    ),
    ("property", "inquiry"): (
        ("Parking space rental|Renting a parking space",
         "Are there any parking spaces for rent in the underground garage? How much per month?"),
    ),
    ("property", "urgent"): (
        ("Stuck in the elevator!|Elevator stopped, help",
         "Two people are stuck in the elevator in Building {bnum}, please send help right away!"),
    ),
    ("utility", "repair"): (
        ("No water since morning|No water in my flat",
         "There has been no water in my apartment since this morning. Is there a planned outage?"),
    ),
    ("utility", "query"): (
        ("Water bill looks too high|Question about my bill",
         "My water bill this month is {amount} yuan, about three times the usual. "
         "Could you check the meter reading?"),
    ),
    ("utility", "service_request"): (
        ("Transfer water account|Account transfer",
         "I just bought an apartment and need to transfer the water account to my name. "
         "What documents do I need?"),
    ),
    ("catering", "service_request"): (
        ("Private room booking|Booking for dinner",
         "I'd like to book a private room for {people} people this Saturday evening."),
    ),
    ("catering", "complaint"): (
        ("Food took too long|Still waiting for food",
         "We ordered forty minutes ago and only one dish has arrived."),
    ),
    ("logistics", "query"): (
        ("Where is my parcel?|Tracking not updated",
         "Tracking number {waybill}. The status hasn't changed for three days."),
    ),
    ("logistics", "complaint"): (
        ("Package arrived damaged|Damaged parcel",
         "The box was crushed and the items inside are broken. Tracking number {waybill}."),
    ),
    ("logistics", "service_request"): (
        ("Monthly billing account|Key account request",
         "Our company ships about {volume_en} parcels a month. "
         "We'd like to open a monthly billing account."),
    ),
    ("generic", "repair"): (
        ("Cannot log in|Login error on website",
         "I can't log in to the website, it keeps showing {errcode}. I've tried {browser} too."),
    ),
    ("generic", "inquiry"): (
        ("How to get an e-invoice|Invoice request",
         "How do I request an e-invoice for my last payment?"),
    ),
    ("generic", "service_request"): (
        ("Password reset request|Reset my password",
         "I forgot my password and no longer use the old phone number. How can I reset it?"),
    ),
    ("generic", "suggestion"): (
        ("Great support, thanks|Thanks to your agent",
         "The online agent was very patient and solved my issue in minutes. Thank you!"),
    ),
}

# Prefixes to the core sentence; they end in a comma so they do not add a sentence.
_OPENINGS = {
    "property": ("你好，", "您好，我是{estate}的业主，", "我住{estate}，", "物业你好，",
                 "我是{estate}的租户，"),
    "utility": ("你好，", "您好，", "我家在{street}，", "客服你好，"),
    "catering": ("你好，", "您好，", "经理你好，", "您好，我是你们的老顾客，"),
    "logistics": ("你好，", "我是贵公司的老客户，", "您好，我们是{company}，", "客服你好，"),
    "generic": ("你好，", "您好，", "我是贵公司的老用户，", "客服你好，"),
}

# Detail and closing sentences by category, worded to fit every industry.
_EXTRAS = {
    "inquiry": ("在网上没找到相关说明。", "之前问过一次，说法不太一样。", "问了几个人都说不清楚。"),
    "query": ("之前说三天内处理，现在已经超时了。", "系统里一直显示处理中。", "等了好久都没有消息。"),
    "complaint": ("已经反映过{times}了，一直没人处理。", "打客服电话也是互相推脱。", "这已经不是第一次了。",
                  "我对这样的服务非常不满意。"),
    "repair": ("已经影响正常使用了。", "自己试着处理过，没用。", "之前也出现过这种情况。"),
    "suggestion": ("希望能采纳。", "身边的朋友也都这么觉得。", "服务确实比以前好多了。"),
    "service_request": ("相关资料都已经准备好了。", "之前咨询过，说需要提前预约。", "希望能尽快确认。"),
    "urgent": ("情况非常紧急！", "已经等了好一会儿了！", "再晚就来不及了！"),
}

_CLOSINGS = {
    "inquiry": ("谢谢！", "麻烦回复一下，谢谢。", "方便的话请回电{phone}。"),
    "query": ("麻烦尽快给个答复。", "请查到后短信告诉我。", "我的电话是{phone}。"),
    "complaint": ("希望尽快给个说法。", "如果再不处理，我就打12345投诉了。",
                  "请你们主管给我回个电话：{phone}。", "要求赔偿损失。"),
    "repair": ("请尽快安排人员处理。", "麻烦尽快处理，谢谢。", "联系电话{phone}。"),
    "suggestion": ("希望你们越办越好！", "仅供参考，谢谢。", "谢谢！"),
    "service_request": ("请告知办理流程和所需材料。", "麻烦尽快安排，谢谢。", "联系电话{phone}。"),
    "urgent": ("拜托尽快！", "电话{phone}，请保持联系。", "请立即处理！"),
}

# Sentences that only make sense in some industries, added to the category's pool.
_INDUSTRY_EXTRAS = {
    ("property", "repair"): ("{when}开始的。", "之前修过一次，又坏了。"),
    ("utility", "repair"): ("{when}开始的。", "之前修过一次，又坏了。"),
    ("generic", "repair"): ("{when}开始的。",),
    ("catering", "repair"): ("客人都在等着。",),
}

_INDUSTRY_CLOSINGS = {
    ("property", "repair"): ("家里{visit}有人，请提前电话联系。", "请尽快安排师傅上门。"),
    ("utility", "repair"): ("家里{visit}有人，请提前电话联系。", "请尽快派人来看看。"),
    ("utility", "service_request"): ("工作日没时间去营业厅，希望能线上办理。",),
    ("catering", "complaint"): ("请你们经理过来一下。",),
    ("logistics", "complaint"): ("要求按规定赔偿。",),
}

# Code-mixed closing sentences, as written by bilingual customers.
_MIXED = (
    "麻烦 ASAP 处理一下，谢谢。", "这个 case 希望有人 follow up 一下。", "我下午有个 meeting，有事请先发微信。",
    "具体情况可以发 email 给我：{email}。", "我是帮外籍朋友反映的，he doesn't speak Chinese，有事请联系我。",
    "Thanks a lot！", "please 尽快回复，OK？", "如果方便，please reply in English，谢谢。",
    "截图我发你们 WeChat 公众号了。", "Sorry 我中文不太好，please call me：{phone}。",
)


_Topic = tuple[tuple[Gen, ...], tuple[Gen, ...]]  # (title generators, body generators)


def _compile_topics(topics: tuple[tuple[str, ...], ...]) -> tuple[_Topic, ...]:
    return tuple((_pool(titles.split("|")), _pool(bodies)) for titles, *bodies in topics)


_TOPIC_GENS = {ind: {cat: _compile_topics(t) for cat, t in cats.items()}
               for ind, cats in _TOPICS.items()}
_ENGLISH_GENS = {key: _compile_topics(t) for key, t in _ENGLISH_TOPICS.items()}
_OPENING_GENS = {ind: _pool(p) for ind, p in _OPENINGS.items()}
_EXTRA_GENS = {ind: {cat: _pool(p + _INDUSTRY_EXTRAS.get((ind, cat), ()))
                     for cat, p in _EXTRAS.items()}
               for ind in INDUSTRIES}
_CLOSING_GENS = {ind: {cat: _pool(p + _INDUSTRY_CLOSINGS.get((ind, cat), ()))
                       for cat, p in _CLOSINGS.items()}
                 for ind in INDUSTRIES}
_MIXED_GENS = _pool(_MIXED)


# --- staff text ----------------------------------------------------------------------------
# Staff text pools are worded to fit any industry; the _INDUSTRY_* pools add sentences that
# only fit one industry, used when the caller names it.

_REPLY_GREETINGS = ("您好，", "您好！", "尊敬的客户您好，", "尊敬的客户，您好！")
_REPLY_CORES = {
    "inquiry": ("感谢您的咨询。相关办理说明已通过短信发送给您，请注意查收。",
                "关于您咨询的问题，具体标准以公司公示为准，您也可以在微信公众号“服务指南”中查看。",
                "您反映的问题我们已记录，相关同事会在{eta}给您详细答复。"),
    "query": ("已为您查询，目前处理进度为：{progress}，预计{eta}完成。",
              "经查询，您的工单目前状态为“{progress}”，我们会在{eta}给您反馈结果。"),
    "complaint": ("非常抱歉给您带来不便。您的投诉我们已经受理，将在24小时内调查处理并向您反馈结果。",
                  "对于给您造成的困扰，我们深表歉意。此事已上报主管，{eta}会有专人与您联系。",
                  "感谢您的监督。经核实情况属实，我们已对相关人员进行批评教育，并将加强管理。"),
    "repair": ("您的报修已受理，我们已安排专人处理，{eta}给您答复。",
               "故障已登记并派单，处理完成后会第一时间通知您。"),
    "suggestion": ("感谢您的宝贵建议，我们已转交相关部门研究，会尽快改进。",
                   "感谢您的表扬！我们已将您的肯定转达给相关同事，我们会继续努力。"),
    "service_request": ("您的申请已登记，我们将在3个工作日内完成审核，结果会短信通知您。",
                        "您申请的业务已受理，请准备好有效证件及相关材料，工作人员会与您联系确认。"),
    "urgent": ("已收到您的紧急求助，值班人员已出发，预计{arrive}到达现场，请您注意安全。",
               "情况已紧急上报，值班负责人正在处理，请保持电话畅通。"),
}
_INDUSTRY_REPLY_CORES = {
    ("property", "repair"): ("您的报修已受理，维修工{staff_name}将于{eta}上门，请保持电话畅通。",
                             "已为您派工，师傅上门前会电话联系您，完工后请您确认。"),
    ("property", "complaint"): ("您反映的问题管家已到现场核实，我们会在24小时内处理完毕并给您回复。",),
    ("property", "urgent"): ("已通知工程部和秩序维护部，人员预计{arrive}到达，请保持冷静，不要强行扒门。",),
    ("utility", "repair"): ("已安排抢修班组，预计{eta}到达现场，请保持电话畅通。",),
    ("utility", "service_request"): ("办理过户请携带买卖双方身份证件、房产证明及最近一期水费票据到营业厅办理。",),
    ("utility", "urgent"): ("请立即远离现场，不要开关电器、不要使用明火，抢修人员预计{arrive}到达。",),
    ("catering", "complaint"): ("非常抱歉！这道菜已为您登记退回出品部重新制作，并为您免单。",),
    ("catering", "service_request"): ("您的包间已预订成功，我们会提前为您布置，到店请报预订手机号。",),
    ("catering", "urgent"): ("经理正在赶往您的台位，我们已准备好药箱，必要时协助送医。",),
    ("logistics", "query"): ("已为您查询，包裹目前在{city}转运中心，预计明天送达。",),
    ("logistics", "complaint"): ("非常抱歉给您带来损失，已为您登记理赔，请提供破损照片和物品价值证明。",),
    ("logistics", "urgent"): ("已联系网点为您拦截快件，拦截结果会短信通知您。",),
    ("generic", "repair"): ("技术人员正在排查，请先尝试清除缓存或更新到最新版本，修复后会第一时间通知您。",),
    ("generic", "urgent"): ("已为您临时冻结账户，请尽快修改密码，并核对近期交易记录。",),
}
_REPLY_TAILS = ("如有疑问，请随时联系我们。", "感谢您的理解与支持！", "祝您生活愉快！",
                "处理完成后我们会进行回访。")
_P_REPLY_TAIL = 0.6

_NOTES = (
    "已联系客户，约定{appoint}处理。", "客户情绪激动，已上报主管。", "客户第二次来电催办，已加急处理。",
    "已电话回访，客户表示满意。", "改派需经主管审批，已提交申请。", "现场核实情况属实，已安排整改。",
    "客户电话{phone}无人接听，稍后再联系。", "已与{staff_name}交接，后续由其跟进。",
    "非我方责任范围，已向客户说明并建议联系相关单位。", "已发短信告知处理结果。",
    "回访时客户表示不满意，已重新派单。", "问题超出一线处理范围，升级至主管。",
)
_INDUSTRY_NOTES = {
    "property": ("已联系业主，约定{appoint}上门。", "已派维修工上门，待业主确认完工。",
                 "已转工程部处理，等待配件到货。", "已通知管家跟进，并记入巡查日志。"),
    "utility": ("属于计划停水范围，已向客户解释。", "已核对抄表记录，读数无误，已向客户解释。",
                "已派抢修班组到场。", "已登记过户资料，待营业厅审核。"),
    "catering": ("已登记退菜，退回出品部重新加工。", "已通知襄理到台位处理。", "已与传菜部核对，催促出品。",
                 "客人为回头客，已记入客史档案。"),
    "logistics": ("理赔材料已收齐，提交审核。", "大客户，按服务方案优先处理。", "已联系网点核实派送情况。",
                  "已发起拦截，等待网点反馈。"),
    "generic": ("已提交技术支持排查。", "已核对扣款记录，确认重复扣款，发起退款。", "已指导客户清除缓存后重试。"),
}

_RATING_COMMENTS = {
    1: ("等了{n_days}才有人联系，非常不满意。", "问题根本没解决，就直接结单了。", "态度很差，再也不想打你们电话了。",
        "打了{times}电话都没人管。", "Very disappointed, nobody called me back."),
    2: ("处理太慢了。", "问题解决了一半，还得自己找人。", "电话一直转来转去，体验不好。",
        "师傅来了说没配件，又等了{n_days}。"),
    3: ("一般吧，问题解决了，就是时间有点长。", "还行，希望下次能快一点。", "服务态度可以，效率有待提高。"),
    4: ("挺好的，处理比较及时。", "师傅很专业，就是来得有点晚。", "整体满意，感谢！", "Good service, thanks."),
    5: ("非常满意，响应很及时！", "服务态度很好，点赞！", "师傅很专业，一次就修好了。", "客服很耐心，谢谢！",
        "Excellent, problem solved quickly!", "{staff_name}服务特别好，值得表扬。"),
}

# Keyed by industry, and by None for the industry-neutral pools.
_REPLY_GREETING_GENS = _pool(_REPLY_GREETINGS)
_REPLY_CORE_GENS = {ind: {cat: _pool(p + _INDUSTRY_REPLY_CORES.get((ind, cat), ()))
                          for cat, p in _REPLY_CORES.items()}
                    for ind in (None, *INDUSTRIES)}
_REPLY_TAIL_GENS = _pool(_REPLY_TAILS)
_NOTE_GENS = {ind: _pool(_NOTES + _INDUSTRY_NOTES.get(ind, ())) for ind in (None, *INDUSTRIES)}
_RATING_GENS = {score: _pool(p) for score, p in _RATING_COMMENTS.items()}


def _require(value: str, allowed: dict, what: str) -> None:
    if value not in allowed:
        raise ValueError(f"unknown {what} {value!r}; expected one of {sorted(allowed)}")


class Corpus:
    """Deterministic source of names, contacts and ticket text: same seed, same sequence."""

    def __init__(self, seed: int) -> None:
        self._rng = random.Random(seed)
        self._r: Rand = self._rng.random

    def person_name(self) -> str:
        """A Chinese full name; about 3 % are Western names of foreign customers."""
        r = self._r
        return _western_name(r) if r() < _P_WESTERN_NAME else _chinese_name(r)

    def phone(self) -> str:
        return _phone(self._r)

    def email(self, name_hint: str | None = None) -> str:
        """An address on an example domain, spelled from name_hint's pinyin when it is known."""
        return _email(self._r, name_hint)

    def company(self) -> str:
        return _company(self._r)

    def address(self) -> str:
        return _address(self._r)

    def ticket_text(self, category: str | None = None, industry: str | None = None) -> TicketText:
        """A customer's ticket; category and industry are drawn (weighted) when not given."""
        r = self._r
        if industry is None:
            industry = _INDUSTRY_DRAW[int(r() * len(_INDUSTRY_DRAW))]
        else:
            _require(industry, INDUSTRIES, "industry")
        if category is None:
            category = _CATEGORY_DRAW[int(r() * len(_CATEGORY_DRAW))]
        else:
            _require(category, CATEGORIES, "category")

        english = _ENGLISH_GENS.get((industry, category))
        if english is not None and r() < _P_ENGLISH:
            titles, bodies = english[int(r() * len(english))]
            return TicketText(titles[int(r() * len(titles))](r), bodies[int(r() * len(bodies))](r),
                              category, industry)

        topics = _TOPIC_GENS[industry][category]
        titles, bodies = topics[int(r() * len(topics))]
        body = bodies[int(r() * len(bodies))](r)
        if r() < _P_OPENING:
            openings = _OPENING_GENS[industry]
            body = openings[int(r() * len(openings))](r) + body
        if r() < _P_EXTRA:
            extras = _EXTRA_GENS[industry][category]
            body += extras[int(r() * len(extras))](r)
        if r() < _P_MIXED:
            body += _MIXED_GENS[int(r() * len(_MIXED_GENS))](r)
        elif r() < _P_CLOSING:
            closings = _CLOSING_GENS[industry][category]
            body += closings[int(r() * len(closings))](r)
        return TicketText(titles[int(r() * len(titles))](r), body, category, industry)

    def reply_text(self, category: str, industry: str | None = None) -> str:
        """A polite staff reply (您好…) to a ticket of that category (and industry, if given)."""
        _require(category, CATEGORIES, "category")
        if industry is not None:
            _require(industry, INDUSTRIES, "industry")
        r = self._r
        cores = _REPLY_CORE_GENS[industry][category]
        text = (_REPLY_GREETING_GENS[int(r() * len(_REPLY_GREETING_GENS))](r)
                + cores[int(r() * len(cores))](r))
        if r() < _P_REPLY_TAIL:
            text += _REPLY_TAIL_GENS[int(r() * len(_REPLY_TAIL_GENS))](r)
        return text

    def note_text(self, industry: str | None = None) -> str:
        """An internal note as agents write them in the ticket log (industry-flavoured if given)."""
        if industry is not None:
            _require(industry, INDUSTRIES, "industry")
        r = self._r
        notes = _NOTE_GENS[industry]
        return notes[int(r() * len(notes))](r)

    def comment_for_rating(self, score: int) -> str:
        """A customer's comment matching a satisfaction score from 1 (worst) to 5 (best)."""
        if score not in _RATING_GENS:
            raise ValueError(f"score must be an integer from 1 to 5, got {score!r}")
        r = self._r
        comments = _RATING_GENS[score]
        return comments[int(r() * len(comments))](r)
