import json, pathlib
A = pathlib.Path("articles"); G = pathlib.Path("gold")
def actor(name, type_, mentions, wd=None): return {"name": name, "mentions": mentions, "type": type_, "wikidata": wd}
def st(speaker, kind, evidence, via=None, optional=False):
    d = {"speaker": speaker, "via": via, "kind": kind, "evidence": evidence}
    if optional: d["optional"] = True
    return d
def cas(kind, count, qualifier, victims, claimant, evidence, side=None, optional=False):
    d = {"kind": kind, "count": count, "qualifier": qualifier, "victims": victims, "victim_side": side, "claimant": claimant, "evidence": evidence}
    if optional: d["optional"] = True
    return d
def med(mediator, kind, parties, evidence, optional=False):
    d = {"mediator": mediator, "kind": kind, "parties": parties, "evidence": evidence}
    if optional: d["optional"] = True
    return d
docs = {
"u01_gaza": dict(
 actors=[actor("Ministry of Health in Gaza","GovernmentBody",["وزارة الصحة في غزة","وزارة الصحة","الوزارة"]),
         actor("Ashraf al-Qudra","Person",["أشرف القدرة"]),
         actor("Israel Defense Forces","ArmedForces",["الجيش الإسرائيلي"]),
         actor("António Guterres","Person",["أنطونيو غوتيريش"],"Q311440"),
         actor("United Nations","InternationalOrganization",["للأمم المتحدة"],"Q1065"),
         actor("Gaza Strip","Place",["غزة","القطاع"]),
         actor("Khan Yunis","Place",["خان يونس"])],
 statements=[st("Ministry of Health in Gaza","announce","أعلنت وزارة الصحة في غزة، اليوم الأحد، ارتفاع حصيلة القتلى الفلسطينيين إلى 68,280 شخصا"),
   st("Ashraf al-Qudra","announce","وقال المتحدث باسم الوزارة أشرف القدرة إن ٤٥ شخصا قتلوا خلال الساعات الأربع والعشرين الماضية"),
   st("Israel Defense Forces","announce","قال الجيش الإسرائيلي إنه قصف 120 هدفا في القطاع، مشيرا إلى مقتل جنديين في اشتباكات شمال غزة"),
   st("António Guterres","call","ودعا الأمين العام للأمم المتحدة أنطونيو غوتيريش إلى وقف فوري لإطلاق النار"),
   st("Medical sources","announce","وأفادت مصادر طبية بأن نحو 300 مصاب نقلوا إلى مستشفى ناصر",optional=True)],
 casualties=[cas("killed",68280,"exact","people","Ministry of Health in Gaza","ارتفاع حصيلة القتلى الفلسطينيين إلى 68,280 شخصا","Palestine"),
   cas("injured",170000,"at_least","people","Ministry of Health in Gaza","أكثر من 170 ألف جريح","Palestine"),
   cas("killed",45,"exact","people","Ashraf al-Qudra","٤٥ شخصا قتلوا"),
   cas("killed",3,"exact","children","Ashraf al-Qudra","بينهم ثلاثة أطفال"),
   cas("killed",2,"exact","military","Israel Defense Forces","مقتل جنديين","Israel"),
   cas("injured",300,"approx","people",None,"نحو 300 مصاب")],
 mediations=[med("António Guterres","call_for_ceasefire",["Israel","Hamas"],"ودعا الأمين العام للأمم المتحدة أنطونيو غوتيريش إلى وقف فوري لإطلاق النار")]),
"u02_sudan": dict(
 actors=[actor("Sudan Doctors Network","OtherOrganization",["شبكة أطباء السودان"]),
         actor("Rapid Support Forces","ArmedGroup",["قوات الدعم السريع"]),
         actor("Sudanese Armed Forces","ArmedForces",["الجيش السوداني"]),
         actor("International Organization for Migration","InternationalOrganization",["المنظمة الدولية للهجرة"]),
         actor("United States","State",["الولايات المتحدة"],"Q30"),
         actor("Saudi Arabia","State",["السعودية"],"Q851"),
         actor("Ali al-Sadiq","Person",["علي الصادق"]),
         actor("United Nations","InternationalOrganization",["الأمم المتحدة"],"Q1065"),
         actor("Sudan","State",["السودان"],"Q1049"),
         actor("El Fasher","Place",["الفاشر"]),
         actor("Zamzam camp","Place",["مخيم زمزم"]),
         actor("Jeddah","Place",["جدة"])],
 statements=[st("Sudan Doctors Network","announce","قالت شبكة أطباء السودان إن 27 مدنيا على الأقل قتلوا وأصيب 40 آخرون في قصف مدفعي استهدف مخيم زمزم للنازحين"),
   st("Sudan Doctors Network","accuse","متهمة قوات الدعم السريع بتنفيذ الهجوم",optional=True),
   st("Rapid Support Forces","deny","نفت قوات الدعم السريع في بيان أي مسؤولية عن القصف"),
   st("Rapid Support Forces","accuse","واتهمت الجيش السوداني بقصف الأحياء السكنية في المدينة",optional=True),
   st("International Organization for Migration","announce","وأعلنت المنظمة الدولية للهجرة نزوح قرابة 10 آلاف شخص من المخيم خلال يومين"),
   st("Ali al-Sadiq","warn","وحذر وزير الخارجية السوداني علي الصادق من كارثة إنسانية"),
   st("United Nations","assert","وقالت الأمم المتحدة إن القتال أجبر أكثر من 12 مليون شخص على النزوح منذ أبريل 2023")],
 casualties=[cas("killed",None,"approx","people",None,"مقتل العشرات",optional=True),
   cas("killed",27,"at_least","civilians","Sudan Doctors Network","27 مدنيا على الأقل قتلوا"),
   cas("injured",40,"exact","people","Sudan Doctors Network","وأصيب 40 آخرون"),
   cas("displaced",10000,"approx","people","International Organization for Migration","نزوح قرابة 10 آلاف شخص"),
   cas("displaced",12000000,"at_least","people","United Nations","أكثر من 12 مليون شخص على النزوح")],
 mediations=[med("United States","hosted_talks",["Sudanese Armed Forces","Rapid Support Forces"],"وكانت الولايات المتحدة والسعودية قد استضافتا محادثات بين الطرفين في جدة"),
   med("Saudi Arabia","hosted_talks",["Sudanese Armed Forces","Rapid Support Forces"],"وكانت الولايات المتحدة والسعودية قد استضافتا محادثات بين الطرفين في جدة")]),
"u03_syria": dict(
 actors=[actor("Syrian Observatory for Human Rights","OtherOrganization",["المرصد السوري لحقوق الإنسان","المرصد"]),
         actor("Rami Abdel Rahman","Person",["رامي عبد الرحمن"]),
         actor("Ministry of Defence of Russia","GovernmentBody",["وزارة الدفاع الروسية"]),
         actor("Syrian Civil Defence","OtherOrganization",["الدفاع المدني السوري"]),
         actor("Turkey","State",["تركيا"],"Q43"),
         actor("Russia","State",["روسيا"],"Q159"),
         actor("Syria","State",["سوريا"],"Q858"),
         actor("Idlib","Place",["إدلب"])],
 statements=[st("Syrian Observatory for Human Rights","announce","أفاد المرصد السوري لحقوق الإنسان بمقتل تسعة مدنيين، بينهم أربعة أطفال، في غارات جوية على ريف إدلب الجنوبي"),
   st("Rami Abdel Rahman","assert","وقال مدير المرصد رامي عبد الرحمن إن الطائرات الروسية شنت أكثر من 20 غارة على بلدات المنطقة"),
   st("Ministry of Defence of Russia","deny","ونفت وزارة الدفاع الروسية في بيان استهداف المدنيين"),
   st("Syrian Civil Defence","announce","وأعلن الدفاع المدني السوري انتشال جثث ثلاثة أشخاص من تحت الأنقاض"),
   st("Turkey","call","دعت تركيا إلى احترام اتفاق وقف إطلاق النار في إدلب")],
 casualties=[cas("killed",9,"exact","civilians","Syrian Observatory for Human Rights","بمقتل تسعة مدنيين"),
   cas("killed",4,"exact","children","Syrian Observatory for Human Rights","بينهم أربعة أطفال"),
   cas("killed",3,"exact","people","Syrian Civil Defence","انتشال جثث ثلاثة أشخاص",optional=True),
   cas("injured",14,"exact","people","Syrian Civil Defence","وإسعاف 14 جريحا")],
 mediations=[med("Turkey","call_for_ceasefire",["Russia","Syria"],"دعت تركيا إلى احترام اتفاق وقف إطلاق النار في إدلب")]),
"u04_yemen": dict(
 actors=[actor("Hans Grundberg","Person",["هانس غروندبرغ","غروندبرغ"]),
         actor("Oman","State",["سلطنة عمان"],"Q842"),
         actor("Government of Yemen","GovernmentBody",["الحكومة اليمنية"]),
         actor("Houthis","ArmedGroup",["الحوثيين","الجماعة"]),
         actor("Mohammed Abdulsalam","Person",["محمد عبد السلام"]),
         actor("Médecins Sans Frontières","OtherOrganization",["منظمة أطباء بلا حدود"]),
         actor("Yemen","State",["اليمن"],"Q805"),
         actor("Taiz","Place",["تعز"]),
         actor("Marib","Place",["مأرب"])],
 statements=[st("Hans Grundberg","announce","أعلن المبعوث الأممي إلى اليمن هانس غروندبرغ، الخميس، توصل الأطراف اليمنية إلى اتفاق على تمديد الهدنة لمدة شهرين"),
   st("Hans Grundberg","call","وقال غروندبرغ في بيان إن الاتفاق يشمل فتح الطرق في تعز وتبادل الأسرى، داعيا الأطراف إلى الالتزام الكامل ببنوده"),
   st("Government of Yemen","assert","ورحبت الحكومة اليمنية بالاتفاق",optional=True),
   st("Mohammed Abdulsalam","assert","قال المتحدث باسم الحوثيين محمد عبد السلام إن الجماعة ستلتزم بالهدنة"),
   st("Médecins Sans Frontières","announce","وذكرت منظمة أطباء بلا حدود أن فرقها عالجت 62 جريحا خلال يومين في المدينة")],
 casualties=[cas("killed",35,"exact","military",None,"مقتل 35 مقاتلا من الطرفين"),
   cas("injured",62,"exact","people","Médecins Sans Frontières","عالجت 62 جريحا")],
 mediations=[med("Oman","brokered_ceasefire",["Government of Yemen","Houthis"],"اتفاق على تمديد الهدنة لمدة شهرين، بوساطة سلطنة عمان"),
   med("Oman","brokered_ceasefire",["Government of Yemen","Houthis"],"هدنة جديدة بوساطة عمانية",optional=True),
   med("Hans Grundberg","call_for_ceasefire",["Government of Yemen","Houthis"],"داعيا الأطراف إلى الالتزام الكامل ببنوده",optional=True)]),
"u05_ukraine": dict(
 actors=[actor("Oleh Synehubov","Person",["أوليغ سينيغوبوف"]),
         actor("Russia","State",["موسكو","روسيا"],"Q159"),
         actor("Ministry of Defence of Russia","GovernmentBody",["وزارة الدفاع الروسية"]),
         actor("Volodymyr Zelensky","Person",["فولوديمير زيلينسكي"]),
         actor("Recep Tayyip Erdoğan","Person",["رجب طيب أردوغان"],"Q39259"),
         actor("Ukraine","State",["أوكرانيا","كييف"],"Q212"),
         actor("Russian Armed Forces","ArmedForces",["الجيش الروسي"]),
         actor("Kharkiv","Place",["خاركيف"]),
         actor("Istanbul","Place",["إسطنبول"])],
 statements=[st("Oleh Synehubov","announce","قال حاكم منطقة خاركيف أوليغ سينيغوبوف إن صاروخين روسيين أصابا حيا سكنيا في المدينة"),
   st("Ministry of Defence of Russia","announce","وقالت وزارة الدفاع الروسية إن قواتها أسقطت 47 طائرة مسيرة أوكرانية"),
   st("Volodymyr Zelensky","accuse","واتهم الرئيس الأوكراني فولوديمير زيلينسكي موسكو باستهداف المدنيين عمدا"),
   st("Recep Tayyip Erdoğan","propose","عرض الرئيس التركي رجب طيب أردوغان استضافة محادثات سلام بين روسيا وأوكرانيا في إسطنبول"),
   st("Ukraine","announce","وأعلنت كييف أن الجيش الروسي نشر 600 جندي إضافي قرب الحدود الشمالية")],
 casualties=[cas("killed",5,"exact","people","Oleh Synehubov","مقتل خمسة أشخاص"),
   cas("injured",31,"exact","people","Oleh Synehubov","وإصابة 31 آخرين"),
   cas("injured",2,"exact","children","Oleh Synehubov","بينهم طفلان")],
 mediations=[med("Recep Tayyip Erdoğan","offer_to_mediate",["Russia","Ukraine"],"عرض الرئيس التركي رجب طيب أردوغان استضافة محادثات سلام بين روسيا وأوكرانيا في إسطنبول، مؤكدا استعداد بلاده للقيام بدور الوسيط")]),
"u06_libya": dict(
 actors=[actor("Ambulance and Emergency Service","GovernmentBody",["جهاز الإسعاف والطوارئ"]),
         actor("Government of National Unity","GovernmentBody",["حكومة الوحدة الوطنية"]),
         actor("United Nations Support Mission in Libya","InternationalOrganization",["بعثة الأمم المتحدة للدعم في ليبيا"]),
         actor("Libyan Red Crescent","OtherOrganization",["الهلال الأحمر الليبي"]),
         actor("Libya","State",["ليبيا"],"Q1016"),
         actor("Tripoli","Place",["طرابلس"])],
 statements=[st("Ambulance and Emergency Service","announce","أعلن جهاز الإسعاف والطوارئ في طرابلس مقتل 12 شخصا على الأقل وإصابة أكثر من 50"),
   st("Government of National Unity","announce","وقالت حكومة الوحدة الوطنية إن وقفا لإطلاق النار دخل حيز التنفيذ صباح الثلاثاء"),
   st("United Nations Support Mission in Libya","call","ودعت بعثة الأمم المتحدة للدعم في ليبيا جميع الأطراف إلى ضبط النفس والعودة إلى الحوار"),
   st("Libyan Red Crescent","announce","وأفاد الهلال الأحمر الليبي بإجلاء 230 عائلة من الأحياء المتضررة")],
 casualties=[cas("killed",12,"at_least","people","Ambulance and Emergency Service","مقتل 12 شخصا على الأقل"),
   cas("injured",50,"at_least","people","Ambulance and Emergency Service","وإصابة أكثر من 50"),
   cas("evacuated",230,"exact","people","Libyan Red Crescent","بإجلاء 230 عائلة",optional=True)],
 mediations=[med("City notables","brokered_ceasefire",[],"وقفا لإطلاق النار دخل حيز التنفيذ صباح الثلاثاء بوساطة من أعيان المدينة",optional=True),
   med("United Nations Support Mission in Libya","call_for_talks",[],"ودعت بعثة الأمم المتحدة للدعم في ليبيا جميع الأطراف إلى ضبط النفس والعودة إلى الحوار")]),
"u07_somalia": dict(
 actors=[actor("Somali Police Force","ArmedForces",["الشرطة الصومالية"]),
         actor("al-Shabaab","ArmedGroup",["حركة الشباب","الحركة"]),
         actor("African Union","InternationalOrganization",["الاتحاد الأفريقي"]),
         actor("Federal Government of Somalia","GovernmentBody",["للحكومة الصومالية"]),
         actor("Somali Armed Forces","ArmedForces",["الجيش الصومالي"]),
         actor("Somalia","State",["الصومال"],"Q1045"),
         actor("Mogadishu","Place",["مقديشو"])],
 statements=[st("Somali Police Force","announce","قالت الشرطة الصومالية إن تفجيرا انتحاريا استهدف مطعما قرب مقر الحكومة في مقديشو مساء الجمعة، ما أدى إلى مقتل سبعة أشخاص على الأقل وإصابة 20 آخرين"),
   st("al-Shabaab","announce","وتبنت حركة الشباب الهجوم في بيان نشرته على مواقع موالية لها، قائلة إن مقاتليها استهدفوا مسؤولين حكوميين"),
   st("African Union","condemn","وندد الاتحاد الأفريقي بالهجوم"),
   st("Somali Armed Forces","announce","وأعلن الجيش الصومالي لاحقا مقتل 15 من عناصر حركة الشباب في عملية عسكرية بإقليم شبيلي الوسطى")],
 casualties=[cas("killed",7,"at_least","people","Somali Police Force","مقتل سبعة أشخاص على الأقل"),
   cas("injured",20,"exact","people","Somali Police Force","وإصابة 20 آخرين"),
   cas("killed",15,"exact","military","Somali Armed Forces","مقتل 15 من عناصر حركة الشباب","al-Shabaab"),
   cas("captured",3,"exact","military","Somali Armed Forces","وأسر ثلاثة آخرين","al-Shabaab")],
 mediations=[]),
}
for doc_id, d in docs.items():
    text = (A / f"{doc_id}.txt").read_text(encoding="utf-8")
    for cat in ("statements", "casualties", "mediations"):
        for item in d[cat]:
            assert item["evidence"] in text, (doc_id, item["evidence"])
    for a in d["actors"]:
        for m in a["mentions"]:
            assert m in text, (doc_id, m)
    out = {"id": doc_id, "source": f"{doc_id}.txt (written for the kg test suite)", "published": None, **d}
    (G / f"{doc_id}.json").write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
print("ok")
