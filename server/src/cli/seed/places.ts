/**
 * Real cities and districts for demo stores. `slug` and each district's pinyin name a
 * site in ASCII (sh-xuhui); store codes are S001… regardless. Landline lengths follow
 * each city's numbering plan.
 */
export interface City {
  slug: string;
  province: string;
  city: string;
  areaCode: string;
  landlineDigits: 7 | 8;
  /** [name, pinyin] */
  districts: ReadonlyArray<readonly [string, string]>;
}

export const CITIES: readonly City[] = [
  { slug: 'sh', province: '上海市', city: '上海市', areaCode: '021', landlineDigits: 8, districts: [['徐汇区', 'xuhui'], ['静安区', 'jingan'], ['浦东新区', 'pudong'], ['长宁区', 'changning'], ['闵行区', 'minhang'], ['杨浦区', 'yangpu']] },
  { slug: 'bj', province: '北京市', city: '北京市', areaCode: '010', landlineDigits: 8, districts: [['朝阳区', 'chaoyang'], ['海淀区', 'haidian'], ['东城区', 'dongcheng'], ['西城区', 'xicheng'], ['丰台区', 'fengtai']] },
  { slug: 'gz', province: '广东省', city: '广州市', areaCode: '020', landlineDigits: 8, districts: [['天河区', 'tianhe'], ['越秀区', 'yuexiu'], ['海珠区', 'haizhu'], ['番禺区', 'panyu'], ['白云区', 'baiyun']] },
  { slug: 'sz', province: '广东省', city: '深圳市', areaCode: '0755', landlineDigits: 8, districts: [['南山区', 'nanshan'], ['福田区', 'futian'], ['罗湖区', 'luohu'], ['宝安区', 'baoan'], ['龙岗区', 'longgang']] },
  { slug: 'hz', province: '浙江省', city: '杭州市', areaCode: '0571', landlineDigits: 8, districts: [['西湖区', 'xihu'], ['上城区', 'shangcheng'], ['拱墅区', 'gongshu'], ['滨江区', 'binjiang'], ['余杭区', 'yuhang']] },
  { slug: 'nj', province: '江苏省', city: '南京市', areaCode: '025', landlineDigits: 8, districts: [['鼓楼区', 'gulou'], ['玄武区', 'xuanwu'], ['秦淮区', 'qinhuai'], ['建邺区', 'jianye']] },
  { slug: 'suz', province: '江苏省', city: '苏州市', areaCode: '0512', landlineDigits: 8, districts: [['姑苏区', 'gusu'], ['吴中区', 'wuzhong'], ['相城区', 'xiangcheng'], ['虎丘区', 'huqiu']] },
  { slug: 'cd', province: '四川省', city: '成都市', areaCode: '028', landlineDigits: 8, districts: [['锦江区', 'jinjiang'], ['青羊区', 'qingyang'], ['武侯区', 'wuhou'], ['成华区', 'chenghua'], ['金牛区', 'jinniu']] },
  { slug: 'cq', province: '重庆市', city: '重庆市', areaCode: '023', landlineDigits: 8, districts: [['渝中区', 'yuzhong'], ['江北区', 'jiangbei'], ['南岸区', 'nanan'], ['沙坪坝区', 'shapingba'], ['九龙坡区', 'jiulongpo']] },
  { slug: 'wh', province: '湖北省', city: '武汉市', areaCode: '027', landlineDigits: 8, districts: [['江汉区', 'jianghan'], ['武昌区', 'wuchang'], ['洪山区', 'hongshan'], ['江岸区', 'jiangan'], ['汉阳区', 'hanyang']] },
  { slug: 'xa', province: '陕西省', city: '西安市', areaCode: '029', landlineDigits: 8, districts: [['雁塔区', 'yanta'], ['碑林区', 'beilin'], ['未央区', 'weiyang'], ['莲湖区', 'lianhu']] },
  { slug: 'tj', province: '天津市', city: '天津市', areaCode: '022', landlineDigits: 8, districts: [['和平区', 'heping'], ['河西区', 'hexi'], ['南开区', 'nankai'], ['河东区', 'hedong']] },
  { slug: 'cs', province: '湖南省', city: '长沙市', areaCode: '0731', landlineDigits: 8, districts: [['岳麓区', 'yuelu'], ['芙蓉区', 'furong'], ['天心区', 'tianxin'], ['开福区', 'kaifu'], ['雨花区', 'yuhua']] },
  { slug: 'xm', province: '福建省', city: '厦门市', areaCode: '0592', landlineDigits: 7, districts: [['思明区', 'siming'], ['湖里区', 'huli'], ['集美区', 'jimei'], ['海沧区', 'haicang']] },
  { slug: 'qd', province: '山东省', city: '青岛市', areaCode: '0532', landlineDigits: 8, districts: [['市南区', 'shinan'], ['市北区', 'shibei'], ['崂山区', 'laoshan'], ['李沧区', 'licang'], ['黄岛区', 'huangdao']] },
  { slug: 'zz', province: '河南省', city: '郑州市', areaCode: '0371', landlineDigits: 8, districts: [['金水区', 'jinshui'], ['二七区', 'erqi'], ['中原区', 'zhongyuan'], ['管城回族区', 'guancheng']] },
];

/** Road names found in nearly every Chinese city, so no district gets a street it lacks. */
export const STREETS = [
  '人民', '中山', '解放', '建设', '和平', '新华', '文化', '胜利', '青年', '长江', '黄河', '花园',
  '学府', '科技', '滨江', '东风', '光明', '迎宾', '幸福', '世纪', '育才', '朝阳', '振兴', '公园',
] as const;

export const STREET_SUFFIXES = ['路', '路', '路', '东路', '西路', '南路', '北路', '大道', '街'] as const;

/** Shopping centres with branches in many cities; small chains rent their units. */
export const MALLS = [
  '万达广场', '吾悦广场', '龙湖天街', '银泰城', '大悦城', '万象城', '印象城', '宝龙广场', '凯德广场', '来福士广场',
] as const;
