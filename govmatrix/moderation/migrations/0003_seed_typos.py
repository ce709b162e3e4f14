"""A starting list of frequent typos (常见错别字) for the content inspection; the office edits it.

Written for GovMatrix: common confusions in public writing (形近、音近字), each wrong form chosen
so that it does not occur inside a correctly written word.
"""

from django.db import migrations

TYPOS = [
    ("按装", "安装"),
    ("既使", "即使"),
    ("再接再励", "再接再厉"),
    ("迫不急待", "迫不及待"),
    ("一股作气", "一鼓作气"),
    ("默守成规", "墨守成规"),
    ("谈笑风声", "谈笑风生"),
    ("走头无路", "走投无路"),
    ("甘败下风", "甘拜下风"),
    ("自抱自弃", "自暴自弃"),
    ("针贬时弊", "针砭时弊"),
    ("穿流不息", "川流不息"),
    ("变本加历", "变本加厉"),
    ("一愁莫展", "一筹莫展"),
    ("无精打彩", "无精打采"),
    ("不径而走", "不胫而走"),
    ("出奇不意", "出其不意"),
    ("美仑美奂", "美轮美奂"),
    ("迫在眉捷", "迫在眉睫"),
    ("食不裹腹", "食不果腹"),
    ("原形必露", "原形毕露"),
    ("披星带月", "披星戴月"),
    ("如法泡制", "如法炮制"),
    ("声名雀起", "声名鹊起"),
    ("人情事故", "人情世故"),
    ("重蹈复辙", "重蹈覆辙"),
    ("按步就班", "按部就班"),
    ("金榜提名", "金榜题名"),
    ("莫不关心", "漠不关心"),
    ("悬梁刺骨", "悬梁刺股"),
    ("语重心常", "语重心长"),
    ("一如继往", "一如既往"),
    ("既往不究", "既往不咎"),
    ("消声匿迹", "销声匿迹"),
    ("两全齐美", "两全其美"),
    ("貌和神离", "貌合神离"),
    ("一张一驰", "一张一弛"),
    ("世外桃园", "世外桃源"),
    ("黄梁美梦", "黄粱美梦"),
    ("天翻地复", "天翻地覆"),
    ("蜂涌而至", "蜂拥而至"),
    ("一诺千斤", "一诺千金"),
    ("融汇贯通", "融会贯通"),
    ("按耐不住", "按捺不住"),
    ("莫明其妙", "莫名其妙"),
    ("直接了当", "直截了当"),
    ("关怀倍至", "关怀备至"),
    ("提纲携领", "提纲挈领"),
    ("气势凶凶", "气势汹汹"),
    ("烩炙人口", "脍炙人口"),
    ("水泻不通", "水泄不通"),
    ("出类拔粹", "出类拔萃"),
    ("布署", "部署"),
    ("幅射", "辐射"),
    ("渲泄", "宣泄"),
    ("松驰", "松弛"),
    ("震憾", "震撼"),
    ("寒喧", "寒暄"),
    ("脉膊", "脉搏"),
    ("膺品", "赝品"),
    ("针炙", "针灸"),
    ("急燥", "急躁"),
    ("防碍", "妨碍"),
    ("峻工", "竣工"),
    ("辑毒", "缉毒"),
    ("气慨", "气概"),
    ("九宵", "九霄"),
    ("修茸", "修葺"),
    ("渡假", "度假"),
    ("国藉", "国籍"),
    ("沉缅", "沉湎"),
    ("装璜", "装潢"),
    ("侯车", "候车"),
    ("防讯", "防汛"),
    ("迁徒", "迁徙"),
    ("入场卷", "入场券"),
    ("优惠卷", "优惠券"),
    ("坐落有致", "错落有致"),
    ("惯彻", "贯彻"),
    ("励行节约", "厉行节约"),
    ("一促而就", "一蹴而就"),
]


def seed(apps, schema_editor):  # type: ignore[no-untyped-def]
    TypoPair = apps.get_model("moderation", "TypoPair")
    existing = set(TypoPair.objects.values_list("wrong", flat=True))
    TypoPair.objects.bulk_create(
        [
            TypoPair(wrong=wrong, correct=correct)
            for wrong, correct in dict(TYPOS).items()
            if wrong != correct and wrong not in existing
        ]
    )


class Migration(migrations.Migration):
    dependencies = [("moderation", "0002_frozen_evidence_triggers")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
