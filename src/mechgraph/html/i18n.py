"""Every word the map shows, in English and Chinese.

``strings(lang)`` gives the page's own texts; ``VOCABULARY`` gives the Chinese for the
closed vocabularies (entity types, predicates, evidence levels, study types, species,
routes, directions, sexes). English vocabulary labels are made from the terms
themselves (``increases_expression`` -> "increases expression").
"""

from __future__ import annotations

from ..constants import (DIRECTIONS, ENTITY_TYPES, EVIDENCE_LEVELS, GUIDANCE_TOPICS, PREDICATES, REGIMENS, ROLES,
                         ROUTES, SEXES, SPECIES, STUDY_TYPES)
from ..relations import RELATION_CLASSES

#: the languages of the page
LANGUAGES: tuple[str, ...] = ("en", "zh")

#: texts of the page itself: key -> (English, Chinese)
UI: dict[str, tuple[str, str]] = {
    "title": ("Mechanism map", "机制图谱"),
    "paths_title": ("Paths", "通路"),
    "search": ("Search entities", "搜索实体"),
    "search_hint": ("name, alias, 中文名…", "名称、别名、英文名…"),
    "no_match": ("no match", "无匹配"),
    "types": ("Entity types", "实体类型"),
    "edges": ("Edges", "边"),
    "all": ("all", "全部"),
    "none": ("none", "无"),
    "min_level": ("Minimum evidence level", "最低证据等级"),
    "any_level": ("any level", "任意等级"),
    "min_score": ("Minimum evidence score", "最低证据评分"),
    "path": ("Highlight a path", "高亮通路"),
    "path_from": ("from", "起点"),
    "path_to": ("to", "终点"),
    "path_go": ("Highlight", "高亮"),
    "path_clear": ("Clear", "清除"),
    "path_none": ("No path between these entities among the edges shown.",
                  "在当前显示的边中，这两个实体之间没有通路。"),
    "path_unknown": ("Unknown entity", "未知实体"),
    "path_hops": ("hops", "步"),
    "language": ("中文", "English"),
    "language_label": ("Language", "语言"),
    "panel_empty": ("Click an entity or an edge to see its evidence.", "点击实体或边以查看其证据。"),
    "close": ("Close", "关闭"),
    "entity": ("Entity", "实体"),
    "type": ("Type", "类型"),
    "id": ("Id", "标识"),
    "aliases": ("Aliases", "别名"),
    "xrefs": ("Identifiers", "标识符"),
    "description": ("Description", "描述"),
    "outgoing": ("Outgoing", "出边"),
    "incoming": ("Incoming", "入边"),
    "about": ("Findings about this entity", "关于该实体的研究发现"),
    "assertion": ("Assertion", "断言"),
    "sign": ("Sign", "效应方向"),
    "sign_plus": ("activation (+)", "激活 (+)"),
    "sign_minus": ("inhibition (−)", "抑制 (−)"),
    "sign_none": ("association", "关联"),
    "level": ("Evidence level", "证据等级"),
    "score": ("Evidence score", "证据评分"),
    "species": ("Species", "物种"),
    "context": ("Context", "情境"),
    "note": ("Note", "备注"),
    "supporting": ("Supporting findings", "支持性发现"),
    "refuting": ("Refuting or no-effect findings", "反驳或无效应的发现"),
    "findings": ("Findings", "研究发现"),
    "finding": ("Finding", "研究发现"),
    "direction": ("Direction", "方向"),
    "study": ("Study", "研究"),
    "study_type": ("Study type", "研究类型"),
    "dose_route": ("Dose and route", "剂量与途径"),
    "population": ("Population", "人群"),
    "model": ("Model", "模型"),
    "outcome": ("Outcome", "结局"),
    "timepoint": ("Time point", "时间点"),
    "result": ("Result", "结果"),
    "n": ("n", "样本量"),
    "quantities": ("Values", "数值"),
    "sex": ("Sex", "性别"),
    "citation": ("Citation", "引用"),
    "cites": ("Cited studies", "引用的研究"),
    "locator": ("Seed locator", "原文定位"),
    "quality_note": ("Quality note", "质量说明"),
    "legend_activation": ("activation", "激活"),
    "legend_inhibition": ("inhibition", "抑制"),
    "legend_association": ("association", "关联"),
    "legend_contested": ("contested (refuting findings)", "有争议（存在反驳证据）"),
    "legend_width": ("thicker = higher evidence score", "越粗 = 证据评分越高"),
    "counts": ("{entities} entities · {assertions} assertions · {findings} findings",
               "{entities} 个实体 · {assertions} 条断言 · {findings} 条研究发现"),
    "shown": ("{nodes} entities and {edges} edges shown", "显示 {nodes} 个实体和 {edges} 条边"),
    "reverse": ("(followed backwards)", "（反向）"),
    "fit": ("Fit to screen", "适应屏幕"),
    "ref": ("ref.", "参考文献"),
    "relation": ("Kind of claim", "断言类别"),
    "role": ("Role", "证据角色"),
    "score_how": ("How the score is computed", "评分如何计算"),
    "score_counts": ("{studies_for} independent studies for, {studies_against} against, {opinions} review "
                     "opinion(s) counted once per source",
                     "支持的独立研究 {studies_for} 项，反对 {studies_against} 项，综述观点 {opinions} 条（每个来源只计一次）"),
    "unit_for": ("for", "支持"),
    "unit_against": ("against", "反对"),
    "unit_study": ("study", "研究"),
    "unit_opinion": ("opinion", "观点"),
    "not_counted": ("not counted (guidance, never evidence)", "不计入（指导意见，不作为证据）"),
    "guidance": ("Guidance (recommendations; never counted as evidence)", "用药指导（推荐意见，不计为证据）"),
    "mention_intervention": ("Findings in which it was the drug given", "以其为干预药物的研究发现"),
    "mention_co_intervention": ("Findings in which it was given with or before the drug",
                                "与药物合用或预先给予的研究发现"),
    "mention_brain_region": ("Findings in this brain region", "在该脑区的研究发现"),
    "mention_cell_type": ("Findings in this cell type", "在该细胞类型中的研究发现"),
    "mention_drug_context": ("Findings on this drug's effect", "关于该药物作用的研究发现"),
    "mention_population": ("Findings in this population", "在该人群中的研究发现"),
    "path_no_chain": ("No mechanism chain; the shortest connection:", "无机制链；最短的关联："),
    "kind_chain": ("mechanism chain", "机制链"),
    "kind_common-cause": ("common cause", "共同原因"),
    "kind_common-effect": ("common effect", "共同结局"),
    "kind_association": ("association", "关联"),
    "borrowed": ("borrowed evidence", "借用其他药物的证据"),
}

#: Chinese names of the closed vocabularies
VOCABULARY_ZH: dict[str, str] = {
    # entity types
    "Drug": "药物", "Compound": "化合物", "Metabolite": "代谢物", "Route": "给药途径",
    "Receptor": "受体", "ReceptorSubunit": "受体亚基", "Enzyme": "酶", "Neurotransmitter": "神经递质",
    "Molecule": "小分子", "Protein": "蛋白质", "Gene": "基因", "Variant": "基因变异",
    "Cytokine": "细胞因子", "Pathway": "信号通路", "Process": "生物学过程", "CellType": "细胞类型",
    "BrainRegion": "脑区", "Circuit": "神经环路", "Organ": "器官", "Phenotype": "表型",
    "Condition": "疾病", "AdverseEffect": "不良反应", "Population": "人群", "Procedure": "临床操作",
    "Measure": "量表与指标", "NamedThing": "其他实体",
    # predicates
    "antagonizes": "拮抗", "agonizes": "激动", "binds": "结合", "inhibits": "抑制", "activates": "激活",
    "increases": "增加", "decreases": "降低", "increases_expression": "上调表达",
    "decreases_expression": "下调表达", "increases_phosphorylation": "增加磷酸化",
    "decreases_phosphorylation": "降低磷酸化", "increases_release": "增加释放",
    "decreases_release": "减少释放", "required_for": "为其所必需", "not_required_for": "非其所必需",
    "mediates": "介导", "treats": "治疗", "prevents": "预防", "causes": "导致",
    "has_adverse_effect": "有不良反应", "contraindicated_in": "禁用于", "used_in": "用于",
    "metabolized_to": "代谢为", "catalyzes_formation_of": "催化生成", "administered_via": "给药途径为",
    "enantiomer_of": "为其对映体", "part_of": "属于", "variant_of": "为其变异", "expressed_in": "表达于",
    "located_in": "位于", "projects_to": "投射至", "interacts_with": "相互作用", "regulates": "调节",
    "risk_factor_for": "为其危险因素", "biomarker_for": "为其生物标志物",
    "positively_correlated_with": "正相关", "negatively_correlated_with": "负相关",
    "associated_with": "相关", "related_to": "相关于",
    # evidence levels
    "meta_analysis": "荟萃分析", "rct": "随机对照试验", "human_observational": "人体观察性研究",
    "animal_in_vivo": "动物体内研究", "in_vitro": "体外研究", "review_opinion": "综述观点",
    # study types (those that are not also levels)
    "clinical_trial": "临床对照试验（未说明是否随机）", "cohort": "队列研究", "survey": "调查", "case_report": "病例报告",
    "pharmacovigilance": "药物警戒", "human_experimental": "人体实验研究", "clinical_study": "临床研究",
    "ex_vivo": "离体研究", "review": "综述", "guideline": "指南", "regulatory": "监管决定",
    "expert_opinion": "专家意见",
    # species
    "human": "人", "mouse": "小鼠", "rat": "大鼠", "rodent": "啮齿类", "dog": "犬", "primate": "灵长类",
    # routes
    "intravenous": "静脉", "intranasal": "鼻内", "oral": "口服", "intramuscular": "肌内",
    "intraperitoneal": "腹腔", "intracerebroventricular": "脑室内", "inhalation": "吸入",
    "subcutaneous": "皮下", "epidural": "硬膜外",
    # directions and sexes
    "supports": "支持", "refutes": "反驳", "no_effect": "无效应",
    "female": "女性", "male": "男性", "both": "两性",
    # context keys
    "brain_region": "脑区", "cell_type": "细胞类型", "drug": "药物", "route": "途径", "regimen": "给药方案",
    # relation classes
    "causal": "因果步骤", "drug-target": "药物-靶点", "drug-effect": "药物效应", "clinical": "临床",
    "association": "关联", "structural": "结构关系",
    # finding roles
    "result": "研究结果", "synthesis": "汇总分析", "opinion": "综述观点", "recommendation": "推荐意见",
    "background": "背景",
    # guidance topics
    "dosing": "剂量与用法", "monitoring": "监测", "contraindication": "禁忌", "setting_of_care": "治疗场所",
    "patient_selection": "患者选择", "special_population": "特殊人群",
    # regimens
    "single_dose": "单次给药", "repeated_dosing": "重复给药", "continuous_infusion": "持续输注", "mixed": "混合方案",
}

#: English labels that are not just the term with spaces
VOCABULARY_EN: dict[str, str] = {
    "ReceptorSubunit": "Receptor subunit", "CellType": "Cell type", "BrainRegion": "Brain region",
    "AdverseEffect": "Adverse effect", "rct": "RCT", "meta_analysis": "meta-analysis",
    "animal_in_vivo": "animal in vivo", "in_vitro": "in vitro / ex vivo", "ex_vivo": "ex vivo",
    "no_effect": "no effect", "NamedThing": "Other entity",
    "clinical_trial": "clinical trial (randomisation not stated)",
}


def vocabulary() -> dict[str, dict[str, str]]:
    """Labels of every vocabulary term: ``{"en": {term: label}, "zh": {term: label}}``."""
    terms = [*ENTITY_TYPES, *PREDICATES, *EVIDENCE_LEVELS, *STUDY_TYPES, *SPECIES, *ROUTES, *DIRECTIONS,
             *SEXES, *RELATION_CLASSES, *ROLES, *GUIDANCE_TOPICS, *REGIMENS, "brain_region", "cell_type", "drug",
             "route", "regimen", "population", "sex"]
    en = {t: VOCABULARY_EN.get(t, t.replace("_", " ")) for t in terms}
    zh = {t: VOCABULARY_ZH.get(t, en[t]) for t in terms}
    zh["population"], zh["sex"] = "人群", "性别"
    return {"en": dict(sorted(en.items())), "zh": dict(sorted(zh.items()))}


def strings() -> dict[str, dict[str, str]]:
    """The page's own texts: ``{"en": {key: text}, "zh": {key: text}}``."""
    return {lang: {key: pair[i] for key, pair in sorted(UI.items())} for i, lang in enumerate(LANGUAGES)}


def missing_translations() -> list[str]:
    """Vocabulary terms without a Chinese label (tests require none)."""
    terms = [*ENTITY_TYPES, *PREDICATES, *EVIDENCE_LEVELS, *STUDY_TYPES, *SPECIES, *ROUTES, *DIRECTIONS, *SEXES,
             *RELATION_CLASSES, *ROLES, *GUIDANCE_TOPICS, *REGIMENS]
    return [t for t in terms if t not in VOCABULARY_ZH]
