/** Sample cases for the quickstart, in the Guyuan pack's facts. */
export const samples: Array<{ title: { zh: string; en: string }; facts: Record<string, unknown> }> = [
  {
    title: { zh: "邻里宅基地边界纠纷", en: "Neighbours' plot-boundary dispute" },
    facts: { receivedAt: "2022-06-20T10:00:00+08:00", source: "grid-worker", type: "dispute", unitCode: "01", subunitCode: "01", difficulty: "simple" },
  },
  {
    title: { zh: "拖欠工资，当事人扬言到市里上访", en: "Unpaid wages; a party threatens to petition the city" },
    facts: { receivedAt: "2022-06-20T15:30:00+08:00", source: "public", type: "petition", unitCode: "01", subunitCode: "01", risks: { petitionTo: "city" } },
  },
  {
    title: { zh: "征地拆迁，多户聚集，可能引发群体性事件", en: "Land expropriation; households gathering, a mass incident possible" },
    facts: { receivedAt: "2022-09-26T09:00:00+08:00", source: "police-alert", type: "instability", unitCode: "02", subunitCode: "03", difficulty: "complex", risks: { massIncident: true } },
  },
  {
    title: { zh: "婚恋家庭矛盾激化，有民转刑风险", en: "Family conflict escalating; may turn criminal" },
    facts: { receivedAt: "2022-09-30T20:00:00+08:00", source: "public", type: "dispute", unitCode: "02", subunitCode: "01", risks: { criminalEscalation: true } },
  },
  {
    title: { zh: "缺少受理时间的登记（被拒绝，不会猜测）", en: "A registration without its received time (rejected, never guessed)" },
    facts: { source: "public", type: "dispute", unitCode: "01", subunitCode: "02" },
  },
];
