"""Demo design options: the garbage room's seven revisions (site selection was the hard part) and the e-bike shed."""
from __future__ import annotations

# A spec sheet: cost ¥, area m², capacity, build days, yearly fee ¥ per household, notes.
GARBAGE_UNIT, SHED_UNIT = "个桶位", "充电位"

# 方案A by 林设计师 (sheji1): one plan drawing per version; `plan` are civic.designs.drawings.RoomPlan fields.
GARBAGE_A = {
    "title": "东侧绿地 · 封闭式厢房",
    "summary": "把垃圾厢房建在7号楼**东侧的绿地**上，四面封闭，离住户窗户更远。"
               "定时定点投放，配破袋装置。每一版都根据大家在图上的意见修改，欢迎继续点图提意见。",
    "versions": [
        {"plan": {"door": "north", "tree": False}, "spec": (96_000, "24.0", 6, 30, 0, "四面封闭，门朝北"),
         "note": "第一版草图：厢房放在7号楼东侧绿地，6个桶位，门朝北开，靠近小区主路方便清运。"},
        {"plan": {"door": "south", "tree": False}, "spec": (98_000, "24.0", 6, 30, 0, "门改朝南"),
         "note": "**门改到南侧**，不再正对7号楼的窗户；清运车改从南侧小路进出。"},
        {"plan": {"sink": True, "tree": False}, "spec": (103_000, "24.0", 6, 32, 3, "含洗手池，年水费约3元/户"),
         "note": "按大家的意见**加了洗手池**，放在门边，扔完湿垃圾可以马上洗手。"},
        {"plan": {"sink": True, "canopy_m": 2.0, "tree": False},
         "spec": (109_000, "26.5", 6, 35, 3, "雨棚挑出2米，面积含雨棚"),
         "note": "**雨棚从1米加长到2米**，下雨天排队投放不会淋湿，地面做防滑。"},
        {"plan": {"sink": True, "canopy_m": 2.0, "deodoriser": True, "tree": False},
         "spec": (117_000, "26.5", 6, 38, 8, "加除臭机和排风扇，年电费约5元/户"),
         "note": "夏天味道是大家最担心的：**加了除臭机和排风扇**，排风口朝东，背离7号楼住户。"},
        {"plan": {"sink": True, "canopy_m": 2.0, "deodoriser": True, "smart": True, "tree": False},
         "spec": (131_000, "28.0", 8, 42, 15, "智能桶，刷卡开盖，满溢自动提醒"),
         "note": "桶位从6个增加到8个，**换成智能分类桶**，门口装刷卡机，满溢会自动通知保洁。"},
        {"plan": {"sink": True, "canopy_m": 2.0, "deodoriser": True, "smart": True, "width_m": 5.0,
                  "tree": True},
         "spec": (128_000, "25.0", 8, 40, 15, "宽度收窄到5米，保留香樟树"),
         "note": "厢房宽度从6米**收窄到5米**，东边那棵二十年的香樟树不用移栽了；桶位仍是8个。"},
    ],
}

# 方案B by 许老师 (sheji2).
GARBAGE_B = {
    "title": "北门旁 · 半开放式",
    "summary": "放在北门内侧道路边，三面围挡、正面开放，清运车不用进小区。造价低，但离6号楼稍近。",
    "versions": [
        {"plan": {"enclosed": False, "windows": False, "canopy_m": 1.2}, "spec": (72_000, "18.0", 6, 20, 0, "半开放，三面围挡"),
         "note": "第一版：北门旁半开放式投放点，三面围挡，正面开放，清运车在门外装车。"},
        {"plan": {"enclosed": False, "windows": False, "canopy_m": 1.5, "sink": True},
         "spec": (78_000, "18.0", 6, 22, 3, "加洗手池，雨棚加长"),
         "note": "参考方案A的讨论，**加了洗手池**，雨棚加长到1.5米。"},
    ],
}

# Comments on 方案A: (key, version, resident index into the jumin logins, anchor on the drawing or None for a
# plain comment about the version, text, version that addresses it or None).
GARBAGE_COMMENTS = [
    ("door", 1, 6, None, "门正对着我们7号楼的窗户，开门关门的味道和声音都进屋，能不能换个方向？", 2),
    ("sink", 2, 8, "door", "门改到南边好多了。扔完湿垃圾手很脏，能不能在门口加个洗手的地方？", 3),
    ("rain", 3, 10, "canopy", "雨棚太短了，下雨天排队扔垃圾会淋湿，老人打着伞也不方便。", 4),
    ("smell", 4, 6, "room", "夏天厢房里面味道还是会很大，有没有除臭和排风？", 5),
    ("bins", 4, 13, "bins", "6个桶够不够？我们三栋楼三百多户，早上高峰会排队。", 6),
    ("tree", 5, 15, "tree", "这棵香樟长了二十多年了，夏天全靠它遮阴，能不能别移走？", 7),
    ("fan", 5, 11, "fan", "排风扇朝东是对的，不过晚上开着会不会吵？希望晚上10点以后能关。", None),
]

SHED_PROJECT = {
    "title": "1—3号楼电瓶车集中停车棚和充电桩",
    "description": "在1—3号楼之间空地建电瓶车集中停车棚，配智能充电桩，充满自动断电，按小时计费，"
                   "解决楼道和家中充电的安全隐患。",
    "answer": "感谢大家的提议。议事会已确定车棚建在1—3号楼之间空地东侧，立项为“电瓶车集中停车棚和充电桩”"
              "项目，请居民设计师出方案，欢迎在方案下面提意见。",
    "stages": [("deliberating", "附议户数已达门槛，进入议事阶段。"),
               ("designing", "议事会形成决议，请居民设计师按决议出车棚方案。")],
}

# (designer login, title, summary, [(plan fields, spec, note)]) — ShedPlan fields: points, width_m, depth_m, …
SHED_OPTIONS = [
    ("sheji1", "80个充电位 · 标准方案", "按议事会决议设置80个充电位，两排车位中间留通道，入口朝南。", [
        ({"points": 80, "width_m": 20, "depth_m": 9}, (260_000, "180", 80, 45, 6, "充电0.5元/小时，充满自动断电"),
         "第一版：80个充电位，分四排，中间留2米通道。"),
        ({"points": 80, "width_m": 20, "depth_m": 9, "cameras": True},
         (268_000, "180", 80, 45, 6, "加两个监控探头"),
         "大家说之前丢过车，**加了两个监控探头**，覆盖入口和通道。"),
    ]),
    ("sheji2", "60个充电位 · 节省方案", "先建60个充电位，占地小、造价低，少占绿地；以后需要再扩建。", [
        ({"points": 60, "width_m": 16, "depth_m": 8.5}, (198_000, "136", 60, 35, 4, "少占绿地约40平方米"),
         "60个充电位，分三排，少占一部分绿地，造价最低。"),
    ]),
    ("sheji1", "100个充电位 · 扩容方案", "一次建够100个充电位，覆盖1—3号楼全部电瓶车，带自动喷淋，占地最大。", [
        ({"points": 100, "width_m": 24, "depth_m": 10, "sprinklers": True},
         (335_000, "240", 100, 60, 10, "含自动喷淋"), "100个充电位，四排，带自动喷淋灭火。"),
        ({"points": 100, "width_m": 23, "depth_m": 10, "sprinklers": True, "cameras": True},
         (322_000, "230", 100, 55, 10, "优化排布，含喷淋和监控"),
         "优化车位排布，**占地从240减到230平方米**，造价降了1.3万元，并加了监控。"),
    ]),
]
