-- A store written by evalnb 0.1 (commit 8c543ab, before migrations) ingesting the 科学技术局 2023 and 2024 samples,
-- dumped with sqlite3 .dump: tests/test_migrations.py upgrades it in place.
PRAGMA foreign_keys=OFF;
BEGIN TRANSACTION;
CREATE TABLE dept_years (
	id INTEGER NOT NULL, 
	department VARCHAR(200) NOT NULL, 
	year INTEGER NOT NULL, 
	parent VARCHAR(200), 
	rules VARCHAR(200) NOT NULL, 
	nature VARCHAR(20) NOT NULL, 
	declared_total NUMERIC(24, 6), 
	declared_grade VARCHAR(20), 
	source_file VARCHAR(500) NOT NULL, 
	sha256 VARCHAR(64) NOT NULL, 
	loaded_at DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	CONSTRAINT uq_dept_year UNIQUE (department, year)
);
INSERT INTO dept_years VALUES(1,'科学技术局',2024,'高新区管委会','national-2020','正式',100,'优秀','科学技术局_2024.xlsx','06d9ea26b99001584115cf1026922bca1a665e6832763e86baf20d8ff7cfc052','2026-11-30 15:47:44.499332');
INSERT INTO dept_years VALUES(2,'科学技术局',2023,'高新区管委会','national-2020','示例',98.500000000000000003,'优','科学技术局_2023.xlsx','6576c2b19fbf5e7c73f310576841956fd20e2f5385628525e71b10b870a681e8','2026-11-30 15:47:44.506695');
CREATE TABLE ingest_log (
	id INTEGER NOT NULL, 
	file VARCHAR(500) NOT NULL, 
	sha256 VARCHAR(64) NOT NULL, 
	loaded_at DATETIME NOT NULL, 
	department VARCHAR(200) NOT NULL, 
	year INTEGER NOT NULL, 
	replaced INTEGER NOT NULL, 
	texts INTEGER NOT NULL, 
	budget_lines INTEGER NOT NULL, 
	indicators INTEGER NOT NULL, 
	team INTEGER NOT NULL, 
	PRIMARY KEY (id)
);
INSERT INTO ingest_log VALUES(1,'科学技术局_2024.xlsx','06d9ea26b99001584115cf1026922bca1a665e6832763e86baf20d8ff7cfc052','2026-11-30 15:47:44.499332','科学技术局',2024,0,14,36,34,8);
INSERT INTO ingest_log VALUES(2,'科学技术局_2023.xlsx','6576c2b19fbf5e7c73f310576841956fd20e2f5385628525e71b10b870a681e8','2026-11-30 15:47:44.506695','科学技术局',2023,0,11,34,34,8);
CREATE TABLE texts (
	dept_year_id INTEGER NOT NULL, 
	seq INTEGER NOT NULL, 
	"row" INTEGER NOT NULL, 
	section VARCHAR(50) NOT NULL, 
	content TEXT NOT NULL, 
	FOREIGN KEY(dept_year_id) REFERENCES dept_years (id)
);
INSERT INTO texts VALUES(1,0,2,'评价依据','贯彻落实市委市政府《关于全面落实预算绩效管理的实施意见》（石发﹝2019﹞8号）文件精神，遵循“科学性、规范性、客观性和公正性”的原则，对科学技术局整体支出情况实施了财政支出绩效自评价，形成本评价报告。');
INSERT INTO texts VALUES(1,1,3,'主要职能','我单位主要负责组织开展辖区内高新技术企业、科技型中小企业、科技创新平台、科技计划项目、科技成果转化、科技金融创新、组织协调防范和处置化解地方金融风险的工作。');
INSERT INTO texts VALUES(1,2,4,'项目安排依据','项目主要根据高新区制定的相关扶持政策进行安排。');
INSERT INTO texts VALUES(1,3,5,'资金用途','项目主要用于培育壮大科技企业、促进科技和金融创新、完善创新创业生态体系等。');
INSERT INTO texts VALUES(1,4,6,'年度总体目标','提高技术市场管理水平，技术市场环境得到不断改善。高新技术企业和科技型中小企业培育，创新体系进一步完善，创新能力进一步提高，创新环境进一步优化，人才团队进一步壮大，创新创业服务机构对产业技术创新的支撑和服务能力进一步增强，园区产业聚集和示范作用进一步提升。科技金融创新，拓宽企业融资渠道，帮助企业解决融资问题，金融行业服务质量都有所提升，全区范围内开展非法集资宣传。保障科协对接工作顺利完成，各类科技工作综合管理谋划到位、开展有序，助推科技事业发展能力提升，保障机关工作正常运转。');
INSERT INTO texts VALUES(1,5,7,'自评组织','按照《石家庄高新区科技局关于印发预算绩效管理细则的通知》（石高科[2019]49号）和《石家庄高新区科技局预算绩效管理细则》（2021修订版）要求开展自评。');
INSERT INTO texts VALUES(1,6,8,'自评方法与过程','评价过程中，评价小组各成员团结合作、相互配合、分工明确，掌握基础资料，了解项目整个实施环节和过程，对资料认真核查，对现场深入核实。');
INSERT INTO texts VALUES(1,7,9,'自评方法与过程','自评采用业务处室填报，小组审核，小组组长审批的方式开展。由业务处室分别对各项指标进行打分，最终评价按综合得分计算。');
INSERT INTO texts VALUES(1,8,10,'总体目标实现情况','提高了技术市场管理水平，继续完善了技术合同认定、登记和备案工作，加强业务及政策培训。推进科技型中小企业和高新技术企业发展，数量持续增长，创新能力增强。创新体系进一步完善，政策环境进一步优化，创新平台对产业技术创新的支撑和服务能力进一步增强；认真落实对科技企业孵化器、加速器、众创空间及创新型孵化器的扶持政策，促进孵化器健康发展。培养和储备一批上市后备企业，增强企业利用资本市场融资能力，创新发展多种科技金融产品，拓宽企业融资渠道，有效缓解区内企业融资难题。加强各类金融风险的防范和处置，有效防范系统性和区域性金融风险发生。保障科协对接工作顺利完成。各类科技管理工作谋划到位、开展有序，助推科技事业发展能力提升。');
INSERT INTO texts VALUES(1,9,11,'分项目标实现情况','围绕生物医药、电子信息、化工新材料等主导产业，鼓励各类创新主体承担或参与科技项目，协同攻克关键技术难题。');
INSERT INTO texts VALUES(1,10,12,'分项目标实现情况','搭建的“一站式企业上市中介服务平台”入选省委深改办服务企业典型案例，无线传媒成功在创业板上市，成为年度内全市唯一新上市企业；轩竹生物在港交所递交上市申请；九易庄宸在河北证监局申请辅导。优化“石家庄高新区企业创新积分信息平台”，依托首贷续贷服务中心，打造“融易汇”银企对接品牌，常态化开展“1+2+N”银企对接活动；获批科技部全国“科技金融创新服务中心培育机构”，采用“线上+线下”服务模式。');
INSERT INTO texts VALUES(1,11,13,'分项目标实现情况','建立“网格+警格+金融”三格预警监测体系，完成了覆盖全区的风险排查，防非短视频荣获省三等奖；开展地方金融组织规范整治专项行动，做到地方金融组织的提质减量。');
INSERT INTO texts VALUES(1,12,14,'存在问题','无问题存在。');
INSERT INTO texts VALUES(1,13,15,'改进措施','在今后的工作中，我局将严格按照新《中华人民共和国预算法》的要求，加大绩效管理工作力度，加强预算编制的科学性、合理性，以实现绩效目标为核心，严格项目执行进度，加大过程监控，提高财政资金的使用效益，保障财政资金发挥效用和安全。');
INSERT INTO texts VALUES(2,0,2,'评价依据','贯彻落实市委市政府《关于全面落实预算绩效管理的实施意见》（石发﹝2019﹞8号）文件精神，遵循“科学性、规范性、客观性和公正性”的原则，对科学技术局整体支出情况实施了财政支出绩效自评价，形成本评价报告。');
INSERT INTO texts VALUES(2,1,3,'主要职能','我单位主要负责组织开展辖区内高新技术企业、科技型中小企业、科技创新平台、科技计划项目、科技成果转化、科技金融创新、组织协调防范和处置化解地方金融风险的工作。');
INSERT INTO texts VALUES(2,2,4,'项目安排依据','项目主要根据高新区制定的相关扶持政策进行安排。');
INSERT INTO texts VALUES(2,3,5,'资金用途','项目主要用于培育壮大科技企业、促进科技和金融创新、完善创新创业生态体系等。');
INSERT INTO texts VALUES(2,4,6,'年度总体目标','提高技术市场管理水平，技术市场环境得到不断改善。高新技术企业和科技型中小企业培育，创新体系进一步完善，创新能力进一步提高，创新环境进一步优化，人才团队进一步壮大，创新创业服务机构对产业技术创新的支撑和服务能力进一步增强，园区产业聚集和示范作用进一步提升。科技金融创新，拓宽企业融资渠道，帮助企业解决融资问题，金融行业服务质量都有所提升，全区范围内开展非法集资宣传。保障科协对接工作顺利完成，各类科技工作综合管理谋划到位、开展有序，助推科技事业发展能力提升，保障机关工作正常运转。');
INSERT INTO texts VALUES(2,5,7,'自评组织','按照《石家庄高新区科技局关于印发预算绩效管理细则的通知》（石高科[2019]49号）和《石家庄高新区科技局预算绩效管理细则》（2021修订版）要求开展自评。');
INSERT INTO texts VALUES(2,6,8,'自评方法与过程','评价过程中，评价小组各成员团结合作、相互配合、分工明确，掌握基础资料，了解项目整个实施环节和过程，对资料认真核查，对现场深入核实。');
INSERT INTO texts VALUES(2,7,9,'自评方法与过程','自评采用业务处室填报，小组审核，小组组长审批的方式开展。由业务处室分别对各项指标进行打分，最终评价按综合得分计算。');
INSERT INTO texts VALUES(2,8,10,'总体目标实现情况','提高了技术市场管理水平，继续完善了技术合同认定、登记和备案工作，加强业务及政策培训。推进科技型中小企业和高新技术企业发展，数量持续增长，创新能力增强。创新体系进一步完善，政策环境进一步优化，创新平台对产业技术创新的支撑和服务能力进一步增强；认真落实对科技企业孵化器、加速器、众创空间及创新型孵化器的扶持政策，促进孵化器健康发展。培养和储备一批上市后备企业，增强企业利用资本市场融资能力，创新发展多种科技金融产品，拓宽企业融资渠道，有效缓解区内企业融资难题。加强各类金融风险的防范和处置，有效防范系统性和区域性金融风险发生。保障科协对接工作顺利完成。各类科技管理工作谋划到位、开展有序，助推科技事业发展能力提升。');
INSERT INTO texts VALUES(2,9,11,'存在问题','个别项目资金支付进度偏慢，科技贷款贴息执行率偏低。');
INSERT INTO texts VALUES(2,10,12,'改进措施','加强项目执行进度跟踪，按月调度资金支付情况。');
CREATE TABLE budget_lines (
	dept_year_id INTEGER NOT NULL, 
	seq INTEGER NOT NULL, 
	"row" INTEGER NOT NULL, 
	name VARCHAR(500) NOT NULL, 
	category VARCHAR(200) NOT NULL, 
	source VARCHAR(200) NOT NULL, 
	initial NUMERIC(20, 6) NOT NULL, 
	budget NUMERIC(20, 6) NOT NULL, 
	executed NUMERIC(20, 6) NOT NULL, 
	note TEXT, 
	FOREIGN KEY(dept_year_id) REFERENCES dept_years (id)
);
INSERT INTO budget_lines VALUES(1,0,2,'高新技术企业培育奖励资金','企业培育','区本级财政',523.53291999999999007,523.53291999999999007,523.53291999999999007,NULL);
INSERT INTO budget_lines VALUES(1,1,3,'科技型中小企业培育资金','企业培育','区本级财政',687.35416999999995367,756.08959000000004382,744.74824999999998452,NULL);
INSERT INTO budget_lines VALUES(1,2,4,'研发投入后补助资金（省市专项）','企业培育','上级转移支付',339.72575999999997974,373.69833999999997331,373.69833999999997331,NULL);
INSERT INTO budget_lines VALUES(1,3,5,'企业研发投入后补助区级配套','企业培育','区本级财政',856.51775999999995294,899.34365000000002507,882.35513000000003105,NULL);
INSERT INTO budget_lines VALUES(1,4,6,'市级技术创新中心建设补助','创新平台建设','区本级财政',469.48441000000002533,469.48441000000002533,469.48441000000002533,NULL);
INSERT INTO budget_lines VALUES(1,5,7,'市级技术创新中心建设补助','创新平台建设','上级转移支付',677.81421999999997753,745.59564000000000307,745.59564000000000307,NULL);
INSERT INTO budget_lines VALUES(1,6,8,'产业技术研究院建设补助','创新平台建设','区本级财政',308.17383999999998422,338.99121999999999844,338.99121999999999844,NULL);
INSERT INTO budget_lines VALUES(1,7,9,'重点实验室建设补助','创新平台建设','区本级财政',320.92660999999998239,320.92660999999998239,311.29881000000000313,NULL);
INSERT INTO budget_lines VALUES(1,8,10,'全国重点实验室配套支持','创新平台建设','区本级财政',832.04066000000000257,832.04066000000000257,832.04066000000000257,NULL);
INSERT INTO budget_lines VALUES(1,9,11,'省市科技计划项目配套资金','科技项目','区本级财政',548.94442000000003645,548.94442000000003645,548.94442000000003645,NULL);
INSERT INTO budget_lines VALUES(1,10,12,'省市科技计划项目配套资金','科技项目','上级转移支付',489.37531999999998788,474.69405999999997902,474.69405999999997902,NULL);
INSERT INTO budget_lines VALUES(1,11,13,'科技企业孵化器运营补贴','创新创业生态','区本级财政',686.94051000000001749,755.63455999999996491,744.3000399999999672,NULL);
INSERT INTO budget_lines VALUES(1,12,14,'众创空间运营补贴','创新创业生态','区本级财政',967.75886000000002698,967.75886000000002698,919.37091999999995548,NULL);
INSERT INTO budget_lines VALUES(1,13,15,'科技企业加速器扶持资金','创新创业生态','区本级财政',378.90289000000001351,378.90289000000001351,373.21935000000001992,NULL);
INSERT INTO budget_lines VALUES(1,14,16,'技术合同登记及技术市场服务','成果转化','区本级财政',734.28674000000000885,734.28674000000000885,712.25814000000002581,NULL);
INSERT INTO budget_lines VALUES(1,15,17,'技术转移示范机构奖励','成果转化','区本级财政',567.90516999999999824,567.90516999999999824,565.06564000000003033,NULL);
INSERT INTO budget_lines VALUES(1,16,18,'京津科技成果转化落地补助','成果转化','区本级财政',758.8782099999999673,758.8782099999999673,747.49504000000001726,NULL);
INSERT INTO budget_lines VALUES(1,17,19,'京津科技成果转化落地补助','成果转化','上级转移支付',952.91357000000004974,1000.55925000000002,950.53129000000001272,NULL);
INSERT INTO budget_lines VALUES(1,18,20,'引进国外智力项目资助','成果转化','上级转移支付',259.99104999999997289,285.99016000000000305,285.99016000000000305,NULL);
INSERT INTO budget_lines VALUES(1,19,21,'科技人才团队引育资金','创新创业生态','区本级财政',778.00225000000000365,778.00225000000000365,754.66218000000003483,NULL);
INSERT INTO budget_lines VALUES(1,20,22,'企业上市挂牌奖励','科技金融','区本级财政',522.12995999999998273,522.12995999999998273,514.29800999999997655,NULL);
INSERT INTO budget_lines VALUES(1,21,23,'上市后备企业培育服务','科技金融','区本级财政',738.76819000000000414,738.76819000000000414,738.76819000000000414,NULL);
INSERT INTO budget_lines VALUES(1,22,24,'创新积分信息平台运维','科技金融','区本级财政',885.4793200000000297,885.4793200000000297,885.4793200000000297,NULL);
INSERT INTO budget_lines VALUES(1,23,25,'首贷续贷服务中心运营','科技金融','区本级财政',233.73573999999999273,233.73573999999999273,232.56705999999999789,NULL);
INSERT INTO budget_lines VALUES(1,24,26,'银企对接活动经费','科技金融','区本级财政',291.60131999999998697,291.60131999999998697,291.60131999999998697,NULL);
INSERT INTO budget_lines VALUES(1,25,27,'科技金融服务中心运营','科技金融','区本级财政',471.12549999999998816,471.12549999999998816,471.12549999999998816,NULL);
INSERT INTO budget_lines VALUES(1,26,28,'科技金融服务中心运营','科技金融','上级转移支付',138.88020000000000209,152.76822000000001367,152.76822000000001367,NULL);
INSERT INTO budget_lines VALUES(1,27,29,'科技保险保费补贴','科技金融','区本级财政',395.10288000000002739,414.85802000000001044,414.85802000000001044,NULL);
INSERT INTO budget_lines VALUES(1,28,30,'科技贷款贴息','科技金融','区本级财政',490.02402999999998202,475.32330999999999219,472.9466899999999896,NULL);
INSERT INTO budget_lines VALUES(1,29,31,'防范和处置非法集资宣传经费','金融风险防范','区本级财政',211.94785999999999149,211.94785999999999149,208.76864000000000488,NULL);
INSERT INTO budget_lines VALUES(1,30,32,'地方金融组织监管及风险排查','金融风险防范','区本级财政',733.15885000000002944,769.81678999999996904,746.72229000000004362,NULL);
INSERT INTO budget_lines VALUES(1,31,33,'存量金融风险案件处置经费','金融风险防范','区本级财政',811.55526999999995042,787.2086100000000215,787.2086100000000215,NULL);
INSERT INTO budget_lines VALUES(1,32,34,'科协对接工作经费','运转保障','区本级财政',430.15690000000000735,451.66475000000002636,451.66475000000002636,NULL);
INSERT INTO budget_lines VALUES(1,33,35,'科技统计与高新区综合评价','运转保障','区本级财政',373.74648999999999432,411.12114000000002534,409.06553000000002383,NULL);
INSERT INTO budget_lines VALUES(1,34,36,'科技政策宣传培训','运转保障','区本级财政',267.88121000000001004,281.27526999999997768,277.05614000000002761,NULL);
INSERT INTO budget_lines VALUES(1,35,37,'机关运转保障经费','运转保障','区本级财政',484.54385000000002037,484.54385000000002037,484.54385000000002037,NULL);
INSERT INTO budget_lines VALUES(2,0,2,'高新技术企业培育奖励资金','企业培育','区本级财政',407.08105000000000474,407.08105000000000474,407.08105000000000474,NULL);
INSERT INTO budget_lines VALUES(2,1,3,'科技型中小企业培育资金','企业培育','区本级财政',811.24104999999997293,892.36515999999994619,847.74689999999998232,NULL);
INSERT INTO budget_lines VALUES(2,2,4,'研发投入后补助资金（省市专项）','企业培育','上级转移支付',749.38753999999994448,786.85691999999994548,782.92264000000000123,NULL);
INSERT INTO budget_lines VALUES(2,3,5,'企业研发投入后补助区级配套','企业培育','区本级财政',355.46490999999997483,355.46490999999997483,353.68759000000000013,NULL);
INSERT INTO budget_lines VALUES(2,4,6,'市级技术创新中心建设补助','创新平台建设','区本级财政',510.97978999999997995,562.07776999999998681,545.21543999999994411,NULL);
INSERT INTO budget_lines VALUES(2,5,7,'市级技术创新中心建设补助','创新平台建设','上级转移支付',369.43540000000001555,369.43540000000001555,369.43540000000001555,NULL);
INSERT INTO budget_lines VALUES(2,6,8,'产业技术研究院建设补助','创新平台建设','区本级财政',179.37519000000000345,173.99393000000000597,171.38401999999999247,NULL);
INSERT INTO budget_lines VALUES(2,7,9,'重点实验室建设补助','创新平台建设','区本级财政',193.63134999999999763,193.63134999999999763,187.82240999999999075,NULL);
INSERT INTO budget_lines VALUES(2,8,10,'全国重点实验室配套支持','创新平台建设','区本级财政',341.53235999999998285,341.53235999999998285,341.53235999999998285,NULL);
INSERT INTO budget_lines VALUES(2,9,11,'省市科技计划项目配套资金','科技项目','区本级财政',686.29520000000002253,665.70633999999995465,655.72073999999997795,NULL);
INSERT INTO budget_lines VALUES(2,10,12,'省市科技计划项目配套资金','科技项目','上级转移支付',683.48427000000003773,683.48427000000003773,683.48427000000003773,NULL);
INSERT INTO budget_lines VALUES(2,11,13,'科技企业孵化器运营补贴','创新创业生态','区本级财政',350.21447999999998047,339.70805000000001427,339.70805000000001427,NULL);
INSERT INTO budget_lines VALUES(2,12,14,'众创空间运营补贴','创新创业生态','区本级财政',257.51803999999998496,283.26983999999998786,283.26983999999998786,NULL);
INSERT INTO budget_lines VALUES(2,13,15,'科技企业加速器扶持资金','创新创业生态','区本级财政',897.21058000000004995,897.21058000000004995,852.3500500000000102,NULL);
INSERT INTO budget_lines VALUES(2,14,16,'技术合同登记及技术市场服务','成果转化','区本级财政',237.14581999999998628,237.14581999999998628,230.03145000000000664,NULL);
INSERT INTO budget_lines VALUES(2,15,17,'技术转移示范机构奖励','成果转化','区本级财政',105.612409999999997,105.612409999999997,105.612409999999997,NULL);
INSERT INTO budget_lines VALUES(2,16,18,'京津科技成果转化落地补助','成果转化','区本级财政',390.70476000000002158,390.70476000000002158,384.84419000000002597,NULL);
INSERT INTO budget_lines VALUES(2,17,19,'京津科技成果转化落地补助','成果转化','上级转移支付',605.03530000000000656,605.03530000000000656,586.88423999999997705,NULL);
INSERT INTO budget_lines VALUES(2,18,20,'引进国外智力项目资助','成果转化','上级转移支付',672.4854800000000523,672.4854800000000523,672.4854800000000523,NULL);
INSERT INTO budget_lines VALUES(2,19,21,'科技人才团队引育资金','创新创业生态','区本级财政',736.16129000000000816,736.16129000000000816,736.16129000000000816,NULL);
INSERT INTO budget_lines VALUES(2,20,22,'企业上市挂牌奖励','科技金融','区本级财政',232.91152999999999906,256.20267999999998664,254.92167000000000597,NULL);
INSERT INTO budget_lines VALUES(2,21,23,'上市后备企业培育服务','科技金融','区本级财政',891.95421999999996388,891.95421999999996388,847.35650999999995751,NULL);
INSERT INTO budget_lines VALUES(2,22,24,'创新积分信息平台运维','科技金融','区本级财政',833.67294000000003962,833.67294000000003962,810.6102100000000519,NULL);
INSERT INTO budget_lines VALUES(2,23,25,'首贷续贷服务中心运营','科技金融','区本级财政',481.51044999999999163,529.66148999999995792,529.66148999999995792,NULL);
INSERT INTO budget_lines VALUES(2,24,26,'银企对接活动经费','科技金融','区本级财政',505.89017999999998666,505.89017999999998666,498.30182999999999538,NULL);
INSERT INTO budget_lines VALUES(2,25,27,'科技金融服务中心运营','科技金融','区本级财政',146.77978999999999132,154.11877999999998678,153.34818999999998823,NULL);
INSERT INTO budget_lines VALUES(2,26,28,'科技金融服务中心运营','科技金融','上级转移支付',907.77003999999999446,880.53693999999995863,836.51008999999999105,NULL);
INSERT INTO budget_lines VALUES(2,27,29,'科技保险保费补贴','科技金融','区本级财政',456.63763999999997622,502.30140000000000101,487.23236000000002834,NULL);
INSERT INTO budget_lines VALUES(2,28,30,'科技贷款贴息','科技金融','区本级财政',745.03588000000002013,745.03588000000002013,461.92225000000001955,'部分企业贷款延期至次年发放，贴息资金相应结转。');
INSERT INTO budget_lines VALUES(2,29,31,'防范和处置非法集资宣传经费','金融风险防范','区本级财政',536.51225999999996927,563.33786999999995257,563.33786999999995257,NULL);
INSERT INTO budget_lines VALUES(2,30,32,'地方金融组织监管及风险排查','金融风险防范','区本级财政',638.37382999999999809,702.21121000000005095,702.21121000000005095,NULL);
INSERT INTO budget_lines VALUES(2,31,33,'存量金融风险案件处置经费','金融风险防范','区本级财政',587.14944000000002686,616.50690999999994803,616.50690999999994803,NULL);
INSERT INTO budget_lines VALUES(2,32,34,'科协对接工作经费','运转保障','区本级财政',714.37328000000002246,785.81060999999999693,785.81060999999999693,NULL);
INSERT INTO budget_lines VALUES(2,33,35,'科技统计与高新区综合评价','运转保障','区本级财政',543.04858999999999014,570.20101999999997133,570.20101999999997133,NULL);
CREATE TABLE indicators (
	dept_year_id INTEGER NOT NULL, 
	seq INTEGER NOT NULL, 
	"row" INTEGER NOT NULL, 
	level1 VARCHAR(100) NOT NULL, 
	level2 VARCHAR(100) NOT NULL, 
	name VARCHAR(500) NOT NULL, 
	nature VARCHAR(10) NOT NULL, 
	direction VARCHAR(5), 
	target NUMERIC(24, 6), 
	actual NUMERIC(24, 6), 
	target_text TEXT, 
	actual_text TEXT, 
	unit VARCHAR(50), 
	weight NUMERIC(24, 6) NOT NULL, 
	declared_score NUMERIC(24, 6), 
	scope TEXT, 
	base TEXT, 
	prior NUMERIC(24, 6), 
	deviation_note TEXT, 
	FOREIGN KEY(dept_year_id) REFERENCES dept_years (id)
);
INSERT INTO indicators VALUES(1,0,2,'产出指标','数量指标','认定高新技术企业数量','定量','≥',300,336,'300',NULL,'家',3,3,'全市','1244',312,NULL);
INSERT INTO indicators VALUES(1,1,3,'产出指标','数量指标','认定科技型中小企业数量','定量','≥',1800,1881,'1800',NULL,'家',3,3,'全市','13436',1706,NULL);
INSERT INTO indicators VALUES(1,2,4,'产出指标','数量指标','其中国家级科技型中小企业数量','定量','≥',850,898,'850',NULL,'家',2,2,'全市','4157',815,NULL);
INSERT INTO indicators VALUES(1,3,5,'产出指标','数量指标','争取研发投入后补助省市专项资金','定量','≥',2500,2786.9740000000001601,'2500',NULL,'万元',2,2,NULL,NULL,2516.3000000000001819,NULL);
INSERT INTO indicators VALUES(1,4,6,'产出指标','数量指标','研发投入后补助惠及企业数量','定量','≥',400,443,'400',NULL,'家',2,2,NULL,NULL,405,NULL);
INSERT INTO indicators VALUES(1,5,7,'产出指标','质量指标','研发投入强度全国高新区综合评价单项排名','定量','≤',20,17,'20',NULL,'位',2,2,NULL,NULL,19,NULL);
INSERT INTO indicators VALUES(1,6,8,'产出指标','数量指标','新建市级技术创新中心数量','定量','≥',2,2,'2',NULL,'家',1,1,NULL,NULL,3,NULL);
INSERT INTO indicators VALUES(1,7,9,'产出指标','数量指标','新建产业技术研究院数量','定量','≥',3,3,'3',NULL,'家',1,1,NULL,NULL,2,NULL);
INSERT INTO indicators VALUES(1,8,10,'产出指标','数量指标','新建重点实验室数量','定量','≥',2,2,'2',NULL,'家',1,1,NULL,NULL,2,NULL);
INSERT INTO indicators VALUES(1,9,11,'产出指标','数量指标','市级以上各类创新平台数量','定量','≥',300,318,'300',NULL,'家',2,2,NULL,NULL,296,NULL);
INSERT INTO indicators VALUES(1,10,12,'产出指标','数量指标','其中国家级创新平台数量','定量','≥',20,21,'20',NULL,'家',2,2,NULL,NULL,19,NULL);
INSERT INTO indicators VALUES(1,11,13,'产出指标','数量指标','其中全国重点实验室数量','定量','≥',5,5,'5',NULL,'家',2,2,'全市','5',5,NULL);
INSERT INTO indicators VALUES(1,12,14,'产出指标','数量指标','获批省、市科技项目数量','定量','≥',80,88,'80',NULL,'项',2,2,NULL,NULL,81,NULL);
INSERT INTO indicators VALUES(1,13,15,'产出指标','数量指标','争取科技项目专项资金','定量','≥',4000,4351,'4000',NULL,'万元',2,2,NULL,NULL,4012,NULL);
INSERT INTO indicators VALUES(1,14,16,'产出指标','数量指标','引进、转化高校科研院所及外地技术成果数量','定量','≥',60,62,'60',NULL,'项',2,2,NULL,NULL,57,NULL);
INSERT INTO indicators VALUES(1,15,17,'产出指标','数量指标','获市级引进国外智力项目立项数量','定量','≥',15,16,'15',NULL,'项',2,2,NULL,NULL,14,NULL);
INSERT INTO indicators VALUES(1,16,18,'产出指标','数量指标','新上市企业数量','定量','≥',1,1,'1',NULL,'家',2,2,NULL,NULL,1,NULL);
INSERT INTO indicators VALUES(1,17,19,'产出指标','数量指标','累计上市企业数量','定量','≥',10,11,'10',NULL,'家',2,2,'全市；全省','33；100',10,NULL);
INSERT INTO indicators VALUES(1,18,20,'产出指标','质量指标','累计上市企业数量全省区县排名','定量','≤',3,1,'3',NULL,'位',1,1,NULL,NULL,2,NULL);
INSERT INTO indicators VALUES(1,19,21,'产出指标','数量指标','创新积分精准画像科技型企业数量','定量','≥',2500,2700,'2500',NULL,'家',2,2,NULL,NULL,2300,NULL);
INSERT INTO indicators VALUES(1,20,22,'产出指标','数量指标','银企对接活动场次','定量','≥',50,61,'50',NULL,'场',2,2,NULL,NULL,48,NULL);
INSERT INTO indicators VALUES(1,21,23,'产出指标','数量指标','科技金融服务中心累计服务企业数量','定量','≥',8000,9000,'8000',NULL,'家',2,2,NULL,NULL,7600,NULL);
INSERT INTO indicators VALUES(1,22,24,'产出指标','数量指标','防范非法集资宣传活动场次','定量','≥',180,202,'180',NULL,'场',2,2,NULL,NULL,176,NULL);
INSERT INTO indicators VALUES(1,23,25,'产出指标','数量指标','存量案件取得重大进展数量','定量','≥',3,3,'3',NULL,'起',1,1,NULL,NULL,2,NULL);
INSERT INTO indicators VALUES(1,24,26,'产出指标','数量指标','注销融资担保公司数量','定量','≥',1,1,'1',NULL,'家',1,1,NULL,NULL,0,NULL);
INSERT INTO indicators VALUES(1,25,27,'产出指标','数量指标','注销典当行数量','定量','≥',1,1,'1',NULL,'家',1,1,NULL,NULL,0,NULL);
INSERT INTO indicators VALUES(1,26,28,'产出指标','数量指标','吊销融资担保公司经营许可数量','定量','≥',1,1,'1',NULL,'家',1,1,NULL,NULL,0,NULL);
INSERT INTO indicators VALUES(1,27,29,'产出指标','时效指标','科技扶持资金拨付及时率','定量','≥',95,98,'95',NULL,'%',2,2,NULL,NULL,97,NULL);
INSERT INTO indicators VALUES(1,28,30,'效益指标','经济效益指标','技术合同成交额','定量','≥',60,66.709999999999993747,'60',NULL,'亿元',8,8,'全市','271.4',58.200000000000002842,NULL);
INSERT INTO indicators VALUES(1,29,31,'效益指标','经济效益指标','企业通过创新积分获得授信金额','定量','≥',10,10.199999999999999289,'10',NULL,'亿元',6,6,NULL,NULL,8.5999999999999996447,NULL);
INSERT INTO indicators VALUES(1,30,32,'效益指标','经济效益指标','银企对接融资金额','定量','≥',5,5.8799999999999998934,'5',NULL,'亿元',6,6,NULL,NULL,5.0999999999999996447,NULL);
INSERT INTO indicators VALUES(1,31,33,'效益指标','社会效益指标','区域性系统性金融风险','定性',NULL,NULL,NULL,'不发生区域性系统性金融风险','达成年度指标',NULL,5,5,NULL,NULL,NULL,NULL);
INSERT INTO indicators VALUES(1,32,34,'效益指标','可持续影响指标','创新创业生态持续优化','定性',NULL,NULL,NULL,'创新体系进一步完善、创新环境进一步优化','达成年度指标',NULL,5,5,NULL,NULL,NULL,NULL);
INSERT INTO indicators VALUES(1,33,35,'满意度指标','服务对象满意度指标','科技企业满意度','定量','≥',90,95.599999999999994313,'90',NULL,'%',10,10,NULL,NULL,94.200000000000002845,NULL);
INSERT INTO indicators VALUES(2,0,2,'产出指标','数量指标','认定高新技术企业数量','定量','≥',300,312,'300',NULL,'家',3,NULL,NULL,NULL,NULL,NULL);
INSERT INTO indicators VALUES(2,1,3,'产出指标','数量指标','认定科技型中小企业数量','定量','≥',1800,1706,'1800',NULL,'家',3,NULL,NULL,NULL,NULL,NULL);
INSERT INTO indicators VALUES(2,2,4,'产出指标','数量指标','其中国家级科技型中小企业数量','定量','≥',850,815,'850',NULL,'家',2,NULL,NULL,NULL,NULL,NULL);
INSERT INTO indicators VALUES(2,3,5,'产出指标','数量指标','争取研发投入后补助省市专项资金','定量','≥',2500,2516.3000000000001819,'2500',NULL,'万元',2,NULL,NULL,NULL,NULL,NULL);
INSERT INTO indicators VALUES(2,4,6,'产出指标','数量指标','研发投入后补助惠及企业数量','定量','≥',400,405,'400',NULL,'家',2,NULL,NULL,NULL,NULL,NULL);
INSERT INTO indicators VALUES(2,5,7,'产出指标','质量指标','研发投入强度全国高新区综合评价单项排名','定量','≤',20,19,'20',NULL,'位',2,NULL,NULL,NULL,NULL,NULL);
INSERT INTO indicators VALUES(2,6,8,'产出指标','数量指标','新建市级技术创新中心数量','定量','≥',2,3,'2',NULL,'家',1,NULL,NULL,NULL,NULL,NULL);
INSERT INTO indicators VALUES(2,7,9,'产出指标','数量指标','新建产业技术研究院数量','定量','≥',3,2,'3',NULL,'家',1,NULL,NULL,NULL,NULL,NULL);
INSERT INTO indicators VALUES(2,8,10,'产出指标','数量指标','新建重点实验室数量','定量','≥',2,2,'2',NULL,'家',1,NULL,NULL,NULL,NULL,NULL);
INSERT INTO indicators VALUES(2,9,11,'产出指标','数量指标','市级以上各类创新平台数量','定量','≥',300,296,'300',NULL,'家',2,NULL,NULL,NULL,NULL,NULL);
INSERT INTO indicators VALUES(2,10,12,'产出指标','数量指标','其中国家级创新平台数量','定量','≥',20,19,'20',NULL,'家',2,NULL,NULL,NULL,NULL,NULL);
INSERT INTO indicators VALUES(2,11,13,'产出指标','数量指标','其中全国重点实验室数量','定量','≥',5,5,'5',NULL,'家',2,NULL,NULL,NULL,NULL,NULL);
INSERT INTO indicators VALUES(2,12,14,'产出指标','数量指标','获批省、市科技项目数量','定量','≥',80,81,'80',NULL,'项',2,NULL,NULL,NULL,NULL,NULL);
INSERT INTO indicators VALUES(2,13,15,'产出指标','数量指标','争取科技项目专项资金','定量','≥',4000,4012,'4000',NULL,'万元',2,NULL,NULL,NULL,NULL,NULL);
INSERT INTO indicators VALUES(2,14,16,'产出指标','数量指标','引进、转化高校科研院所及外地技术成果数量','定量','≥',60,57,'60',NULL,'项',2,NULL,NULL,NULL,NULL,NULL);
INSERT INTO indicators VALUES(2,15,17,'产出指标','数量指标','获市级引进国外智力项目立项数量','定量','≥',15,14,'15',NULL,'项',2,NULL,NULL,NULL,NULL,NULL);
INSERT INTO indicators VALUES(2,16,18,'产出指标','数量指标','新上市企业数量','定量','≥',1,1,'1',NULL,'家',2,NULL,NULL,NULL,NULL,NULL);
INSERT INTO indicators VALUES(2,17,19,'产出指标','数量指标','累计上市企业数量','定量','≥',10,10,'10',NULL,'家',2,NULL,NULL,NULL,NULL,NULL);
INSERT INTO indicators VALUES(2,18,20,'产出指标','质量指标','累计上市企业数量全省区县排名','定量','≤',3,2,'3',NULL,'位',1,NULL,NULL,NULL,NULL,NULL);
INSERT INTO indicators VALUES(2,19,21,'产出指标','数量指标','创新积分精准画像科技型企业数量','定量','≥',2500,2300,'2500',NULL,'家',2,NULL,NULL,NULL,NULL,NULL);
INSERT INTO indicators VALUES(2,20,22,'产出指标','数量指标','银企对接活动场次','定量','≥',50,48,'50',NULL,'场',2,NULL,NULL,NULL,NULL,NULL);
INSERT INTO indicators VALUES(2,21,23,'产出指标','数量指标','科技金融服务中心累计服务企业数量','定量','≥',8000,7600,'8000',NULL,'家',2,NULL,NULL,NULL,NULL,NULL);
INSERT INTO indicators VALUES(2,22,24,'产出指标','数量指标','防范非法集资宣传活动场次','定量','≥',180,176,'180',NULL,'场',2,NULL,NULL,NULL,NULL,NULL);
INSERT INTO indicators VALUES(2,23,25,'产出指标','数量指标','存量案件取得重大进展数量','定量','≥',3,2,'3',NULL,'起',1,NULL,NULL,NULL,NULL,NULL);
INSERT INTO indicators VALUES(2,24,26,'产出指标','数量指标','注销融资担保公司数量','定量','≥',1,0,'1',NULL,'家',1,NULL,NULL,NULL,NULL,NULL);
INSERT INTO indicators VALUES(2,25,27,'产出指标','数量指标','注销典当行数量','定量','≥',1,0,'1',NULL,'家',1,NULL,NULL,NULL,NULL,NULL);
INSERT INTO indicators VALUES(2,26,28,'产出指标','数量指标','吊销融资担保公司经营许可数量','定量','≥',1,0,'1',NULL,'家',1,NULL,NULL,NULL,NULL,NULL);
INSERT INTO indicators VALUES(2,27,29,'产出指标','时效指标','科技扶持资金拨付及时率','定量','≥',95,97,'95',NULL,'%',2,NULL,NULL,NULL,NULL,NULL);
INSERT INTO indicators VALUES(2,28,30,'效益指标','经济效益指标','技术合同成交额','定量','≥',60,58.200000000000002842,'60',NULL,'亿元',8,NULL,NULL,NULL,NULL,NULL);
INSERT INTO indicators VALUES(2,29,31,'效益指标','经济效益指标','企业通过创新积分获得授信金额','定量','≥',10,8.5999999999999996447,'10',NULL,'亿元',6,NULL,NULL,NULL,NULL,NULL);
INSERT INTO indicators VALUES(2,30,32,'效益指标','经济效益指标','银企对接融资金额','定量','≥',5,5.0999999999999996447,'5',NULL,'亿元',6,NULL,NULL,NULL,NULL,NULL);
INSERT INTO indicators VALUES(2,31,33,'效益指标','社会效益指标','区域性系统性金融风险','定性',NULL,NULL,NULL,'不发生区域性系统性金融风险','达成年度指标',NULL,5,NULL,NULL,NULL,NULL,NULL);
INSERT INTO indicators VALUES(2,32,34,'效益指标','可持续影响指标','创新创业生态持续优化','定性',NULL,NULL,NULL,'创新体系进一步完善、创新环境进一步优化','达成年度指标',NULL,5,NULL,NULL,NULL,NULL,NULL);
INSERT INTO indicators VALUES(2,33,35,'满意度指标','服务对象满意度指标','科技企业满意度','定量','≥',90,94.200000000000002845,'90',NULL,'%',10,NULL,NULL,NULL,NULL,NULL);
CREATE TABLE team (
	dept_year_id INTEGER NOT NULL, 
	seq INTEGER NOT NULL, 
	"row" INTEGER NOT NULL, 
	name VARCHAR(100) NOT NULL, 
	org VARCHAR(200) NOT NULL, 
	title VARCHAR(200), 
	rank VARCHAR(200), 
	role VARCHAR(20) NOT NULL, 
	FOREIGN KEY(dept_year_id) REFERENCES dept_years (id)
);
INSERT INTO team VALUES(1,0,2,'张伟','科技局','局长',NULL,'组长');
INSERT INTO team VALUES(1,1,3,'王芳','科技局','副局长',NULL,'副组长');
INSERT INTO team VALUES(1,2,4,'刘洋','科技局','副局长',NULL,'副组长');
INSERT INTO team VALUES(1,3,5,'陈静','科技局','副局长',NULL,'副组长');
INSERT INTO team VALUES(1,4,6,'李娜','科技局','科技创新科科长',NULL,'成员');
INSERT INTO team VALUES(1,5,7,'杨磊','科技局','办公室主任',NULL,'成员');
INSERT INTO team VALUES(1,6,8,'黄敏','科技局','金融监管科科长',NULL,'成员');
INSERT INTO team VALUES(1,7,9,'周杰','科技局','科技金融科副科长',NULL,'成员');
INSERT INTO team VALUES(2,0,2,'张伟','科技局','局长',NULL,'组长');
INSERT INTO team VALUES(2,1,3,'王芳','科技局','副局长',NULL,'副组长');
INSERT INTO team VALUES(2,2,4,'刘洋','科技局','副局长',NULL,'副组长');
INSERT INTO team VALUES(2,3,5,'陈静','科技局','副局长',NULL,'副组长');
INSERT INTO team VALUES(2,4,6,'李娜','科技局','科技创新科科长',NULL,'成员');
INSERT INTO team VALUES(2,5,7,'杨磊','科技局','办公室主任',NULL,'成员');
INSERT INTO team VALUES(2,6,8,'黄敏','科技局','金融监管科科长',NULL,'成员');
INSERT INTO team VALUES(2,7,9,'周杰','科技局','科技金融科副科长',NULL,'成员');
CREATE INDEX ix_texts_dept_year_id ON texts (dept_year_id);
CREATE INDEX ix_budget_lines_dept_year_id ON budget_lines (dept_year_id);
CREATE INDEX ix_indicators_dept_year_id ON indicators (dept_year_id);
CREATE INDEX ix_team_dept_year_id ON team (dept_year_id);
COMMIT;
