"""Demo votes: the garbage-room site (closed, fails on area), the e-bike shed options (open), the lounge (公示)."""
from __future__ import annotations

# The three votes' settings (the rest comes from the projects' design options and the Art. 278 presets).
GARBAGE_VOTE = {
    "title": "二期垃圾厢房选址表决",
    "explanation": "垃圾厢房建在哪里，请每户投一票：\n\n"
                   "- **方案A**：7号楼东侧绿地，四面封闭，带洗手池、雨棚、除臭机，保留香樟树；\n"
                   "- **方案B**：北门内侧道路边，半开放式，造价低，但离6号楼稍近。\n\n"
                   "改建垃圾厢房属于《民法典》第二百七十八条规定的**改建、重建建筑物及其附属设施**，"
                   "须参与表决的专有部分面积和业主人数都达到三分之二以上，"
                   "并经参与表决的面积和人数都达到四分之三以上的业主同意。\n\n"
                   "不方便上网的邻居，楼组长会上门送纸质表决票。",
    "close_reason": "第一轮表决未通过：参与表决的专有面积不足三分之二。三驾马车商定请楼组长上门听取大户业主的意见后，"
                    "再组织第二轮表决。",
    "to_voting": "两个方案都已公示两周，大家在图上的意见都已回应，进入表决。",
}

SHED_VOTE = {
    "title": "1—3号楼电瓶车棚方案表决（含专家评审）",
    "explanation": "议事会已决定在1—3号楼之间空地建电瓶车集中停车棚，现在请大家从三个方案中选一个。\n\n"
                   "最终得分 = 居民得票占比 × 60% + 专家评分 × 40%。专家按**安全、造价、消防、维护**四项打分，"
                   "评分表和居民得票会一起公布。\n\n表决期间可以随时查看各楼的参与情况。",
    "to_voting": "三个方案都已发布，专家评审组已组建，进入表决。",
    "rubric": [("安全", 30), ("造价", 30), ("消防", 20), ("维护", 20)],
    # Per expert, per option (by label A, B, C), scores 0–10 in rubric order.
    "scores": {
        "zhuanjia": {"A": (8, 7, 7, 8), "B": (6, 9, 6, 7), "C": (9, 5, 9, 7)},
        "zhuanjia2": {"A": (8, 7, 8, 7), "B": (6, 8, 5, 8), "C": (9, 6, 9, 6)},
    },
}

LOUNGE_VOTE = {
    "title": "四期5、6号楼大堂休憩区改为“一米会客厅”表决",
    "explanation": "5、6号联体楼栋一楼大堂的休憩区（约25平方米）拟改造为“一米会客厅”：修好漏水的天花板，"
                   "换亮一点的灯，放带扶手的座椅和小书架，平时邻居坐坐聊天，每月“书记会客日”也在这里接待。\n\n"
                   "这属于**改变共有部分的用途**，按《民法典》第二百七十八条，需要双三分之二参与、"
                   "双四分之三同意。费用由街道微更新项目经费承担，不动用维修资金。",
    "to_voting": "会客厅的布置方案已在小圆桌上讨论确定，请5、6号楼业主表决是否同意改变大堂用途。",
    "to_publicity": "表决通过，结果公示七天，公示期内可以提出异议。",
    "objection": "会客厅晚上开到几点？我家就在大堂楼上，担心晚上有人聊天太吵，影响休息。",
    "answer": "谢谢您的提醒。会客厅开放时间定为早上8点到晚上8点，晚上8点后由物业锁门；"
              "门口会贴“轻声交谈”的提示，楼组长也会在群里提醒。试运行一个月后再听大家的意见。",
}

SIGN_NOTES = {
    "juwei": "已核对纸质票和线上票，同意。",
    "yewei": "业委会确认计票结果。",
    "wuye": "物业已核对户数和面积台账。",
}

# The paper slip picture: what a building-group leader photographs after the household signed.
SLIP_TITLE = "纸质表决票"
SLIP_SIGN = "业主签名"
SLIP_NOTE = "本票由楼组长上门收回并拍照录入，原件交居委会存档。"
