"""Every word the map shows, in English and Chinese.

``strings(lang)`` gives the page's own texts; ``VOCABULARY`` gives the Chinese for the
closed vocabularies (entity types, predicates, evidence levels, study types, species,
routes, directions, sexes). English vocabulary labels are made from the terms
themselves (``increases_expression`` -> "increases expression").
"""

from __future__ import annotations

from ..model.constants import (DIRECTIONS, ENTITY_TYPES, EVIDENCE_LEVELS, GUIDANCE_TOPICS, PREDICATES, REGIMENS, ROLES,
                         ROUTES, SEXES, SPECIES, STUDY_TYPES)
from ..model.relations import RELATION_CLASSES

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
    "borrowed_from": ("borrowed from {drugs}", "借用自{drugs}"),
    # views
    "views": ("Views", "视图"),
    "view_mechanism": ("Mechanism", "作用机制"),
    "view_clinical": ("Clinical", "临床"),
    "view_pharmacokinetics": ("Pharmacokinetics", "药代动力学"),
    "view_everything": ("Everything", "全部"),
    "view_paths": ("Paths", "通路"),
    "view_empty": ("Nothing in this graph belongs to this view.", "该图谱中没有属于此视图的内容。"),
    "view_counts": ("{entities} entities · {assertions} assertions · {findings} findings in this view",
                    "此视图：{entities} 个实体 · {assertions} 条断言 · {findings} 条研究发现"),
    "causal_fallback": ("No drug here has a mechanism chain to an outcome: the causal and drug-target steps.",
                        "此处没有药物具有通向结局的机制链：显示因果步骤与药物-靶点关系。"),
    # groups and exploration
    "groups": ("Groups", "分组"),
    "expand_all": ("expand all", "全部展开"),
    "collapse_all": ("collapse all", "全部折叠"),
    "group_members": ("{count} entities", "{count} 个实体"),
    "group_expand": ("Expand this group", "展开此分组"),
    "group_show_all": ("Show all {count} members", "显示全部 {count} 个成员"),
    "group_collapse": ("Collapse this group", "折叠此分组"),
    "group": ("Group", "分组"),
    "expand": ("Show its neighbours ({count} more)", "显示其相邻实体（另有 {count} 个）"),
    "collapse": ("Hide the neighbours it added", "隐藏其添加的相邻实体"),
    "no_more": ("All its neighbours are shown.", "其所有相邻实体均已显示。"),
    "back": ("Back", "返回"),
    "trail": ("Trail", "浏览路径"),
    "dblclick_hint": ("Double-click an entity to show its neighbours; click the background to clear the highlight.",
                      "双击实体以显示其相邻实体；点击空白处取消高亮。"),
    "below_floor": ("below the evidence floor: kept as the focus's own target", "低于证据门槛：作为焦点实体的靶点保留"),
    # mechanism summary and cascades
    "how_reaches": ("How {drug} reaches {outcome}", "{drug}如何作用于{outcome}"),
    "chains_in_families": ("{chains} mechanism chain(s) in {families} famil(ies)", "{families} 个机制家族中共 {chains} 条机制链"),
    "family_chains": ("{shown} of {found} chain(s)", "{found} 条机制链中的 {shown} 条"),
    "gaps": ("Left open by the literature", "文献中尚未阐明的步骤"),
    "gap_note": ("{entity}: reached by the drug, but no step leads on to the outcome",
                 "{entity}：药物可作用于此，但尚无步骤通向结局"),
    "open_ends": ("Other open ends", "其他未闭合的分支"),
    "show_open_ends": ("Show them on the map", "在图中显示"),
    "conflicts": ("Disagreements", "证据分歧"),
    "weakest": ("weakest step", "最弱步骤"),
    "net_sign": ("net effect", "净效应"),
    "step": ("step", "步骤"),
    "cascade_highlight": ("Highlight on the map", "在图中高亮"),
    "drugs_tested": ("tested with", "试验药物"),
    "no_paths": ("No path.", "无通路。"),
    "explain_title": ("How it works", "作用机制"),
    "mixed_evidence": ("mixed evidence", "证据不一致"),
    "opposite_sign": ("opposite signs", "效应方向相反"),
    "opposite_verdict": ("opposite verdicts", "结论相反"),
    "quantity": ("different values", "数值不一致"),
    "chain_sign": ("chain sign disagrees with the direct effect", "机制链的净效应与直接效应相反"),
    "classification_context": ("explained by context", "可由研究情境解释"),
    "classification_unexplained": ("unexplained", "尚无解释"),
    "vs": ("vs", "对比"),
    "guidance_none": ("No guidance recorded for this drug.", "未记录该药物的用药指导。"),
    "pk_note": ("Routes, bioavailability and metabolism: click an edge for its values and sources.",
                "给药途径、生物利用度与代谢：点击边查看数值与来源。"),
    "alt_name": ("Chinese name", "英文名"),
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
    "decreases_release": "减少释放", "required_for": "为…所必需", "not_required_for": "非…所必需",
    "mediates": "介导", "treats": "治疗", "prevents": "预防", "causes": "导致",
    "has_adverse_effect": "可致不良反应", "contraindicated_in": "禁用于", "used_in": "用于",
    "metabolized_to": "代谢为", "catalyzes_formation_of": "催化生成", "administered_via": "经…给药",
    "enantiomer_of": "是…的对映体", "part_of": "属于", "variant_of": "是…的变异", "expressed_in": "表达于",
    "located_in": "位于", "projects_to": "投射至", "interacts_with": "与…相互作用", "regulates": "调节",
    "risk_factor_for": "是…的危险因素", "biomarker_for": "是…的生物标志物",
    "positively_correlated_with": "与…正相关", "negatively_correlated_with": "与…负相关",
    "associated_with": "与…相关", "related_to": "与…有关",
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


#: how an assertion reads as a sentence: predicate -> (English, Chinese), with {s} and {o}
PHRASES: dict[str, tuple[str, str]] = {
    "antagonizes": ("{s} antagonizes {o}", "{s} 拮抗 {o}"),
    "agonizes": ("{s} agonizes {o}", "{s} 激动 {o}"),
    "binds": ("{s} binds {o}", "{s} 结合 {o}"),
    "inhibits": ("{s} inhibits {o}", "{s} 抑制 {o}"),
    "activates": ("{s} activates {o}", "{s} 激活 {o}"),
    "increases": ("{s} increases {o}", "{s} 增加 {o}"),
    "decreases": ("{s} decreases {o}", "{s} 降低 {o}"),
    "increases_expression": ("{s} increases the expression of {o}", "{s} 上调 {o} 的表达"),
    "decreases_expression": ("{s} decreases the expression of {o}", "{s} 下调 {o} 的表达"),
    "increases_phosphorylation": ("{s} increases the phosphorylation of {o}", "{s} 增加 {o} 的磷酸化"),
    "decreases_phosphorylation": ("{s} decreases the phosphorylation of {o}", "{s} 降低 {o} 的磷酸化"),
    "increases_release": ("{s} increases the release of {o}", "{s} 增加 {o} 的释放"),
    "decreases_release": ("{s} decreases the release of {o}", "{s} 减少 {o} 的释放"),
    "required_for": ("{s} is required for {o}", "{s} 是 {o} 所必需的"),
    "not_required_for": ("{s} is not required for {o}", "{s} 并非 {o} 所必需"),
    "mediates": ("{s} mediates {o}", "{s} 介导 {o}"),
    "treats": ("{s} treats {o}", "{s} 治疗 {o}"),
    "prevents": ("{s} prevents {o}", "{s} 预防 {o}"),
    "causes": ("{s} causes {o}", "{s} 导致 {o}"),
    "has_adverse_effect": ("{s} has the adverse effect {o}", "{s} 可致不良反应：{o}"),
    "contraindicated_in": ("{s} is contraindicated in {o}", "{s} 禁用于 {o}"),
    "used_in": ("{s} is used in {o}", "{s} 用于 {o}"),
    "metabolized_to": ("{s} is metabolized to {o}", "{s} 代谢为 {o}"),
    "catalyzes_formation_of": ("{s} catalyzes the formation of {o}", "{s} 催化生成 {o}"),
    "administered_via": ("{s} is given by {o}", "{s} 的给药途径：{o}"),
    "enantiomer_of": ("{s} is an enantiomer of {o}", "{s} 是 {o} 的对映体"),
    "part_of": ("{s} is part of {o}", "{s} 是 {o} 的组成部分"),
    "variant_of": ("{s} is a variant of {o}", "{s} 是 {o} 的变异"),
    "expressed_in": ("{s} is expressed in {o}", "{s} 表达于 {o}"),
    "located_in": ("{s} is located in {o}", "{s} 位于 {o}"),
    "projects_to": ("{s} projects to {o}", "{s} 投射至 {o}"),
    "interacts_with": ("{s} interacts with {o}", "{s} 与 {o} 相互作用"),
    "regulates": ("{s} regulates {o}", "{s} 调节 {o}"),
    "risk_factor_for": ("{s} is a risk factor for {o}", "{s} 是 {o} 的危险因素"),
    "biomarker_for": ("{s} is a biomarker for {o}", "{s} 是 {o} 的生物标志物"),
    "positively_correlated_with": ("{s} correlates positively with {o}", "{s} 与 {o} 正相关"),
    "negatively_correlated_with": ("{s} correlates negatively with {o}", "{s} 与 {o} 负相关"),
    "associated_with": ("{s} is associated with {o}", "{s} 与 {o} 相关"),
    "related_to": ("{s} is related to {o}", "{s} 与 {o} 有关"),
}


def phrases() -> dict[str, dict[str, str]]:
    """Each predicate as a sentence in each language: ``{"en": {predicate: "{s} ... {o}"}, "zh": {...}}``;
    a predicate without its own phrase reads "{s} <its label> {o}"."""
    labels = vocabulary()
    out = {}
    for i, lang in enumerate(LANGUAGES):
        out[lang] = {p: PHRASES[p][i] if p in PHRASES else "{s} " + labels[lang][p] + " {o}" for p in sorted(PREDICATES)}
    return out


def missing_phrases() -> list[str]:
    """Predicates without a sentence of their own (tests require none)."""
    return [p for p in PREDICATES if p not in PHRASES]


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
