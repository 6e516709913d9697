/**
 * Every permission the server knows, as resources and their actions; a code reads
 * `domain:resource:action`. Routes may only declare codes listed here (a test holds them
 * to it), the console's permission matrix is drawn from it, and menus follow the codes a
 * user holds. A module adds its resource here when it arrives.
 */
type Label = { zh: string; en: string };

const ACTION_LABELS: Record<string, Label> = {
  view: { zh: '查看', en: 'View' },
  create: { zh: '新建', en: 'Create' },
  update: { zh: '编辑', en: 'Edit' },
  delete: { zh: '删除', en: 'Delete' },
  export: { zh: '导出', en: 'Export' },
  import: { zh: '导入', en: 'Import' },
  reveal: { zh: '查看明文', en: 'Reveal' },
  verify: { zh: '校验完整性', en: 'Verify integrity' },
  reset_password: { zh: '重置密码', en: 'Reset password' },
  revoke_session: { zh: '强制下线', en: 'End sessions' },
  revoke: { zh: '吊销', en: 'Revoke' },
  run: { zh: '立即运行', en: 'Run now' },
  freeze: { zh: '冻结与解冻', en: 'Freeze and unfreeze' },
  erase: { zh: '删除个人信息', en: 'Erase personal data' },
  refund: { zh: '退款', en: 'Refund' },
  adjust: { zh: '手工调整', en: 'Adjust by hand' },
  grant: { zh: '发放活动积分', en: 'Grant for events' },
  topup: { zh: '充值', en: 'Top up' },
  pin: { zh: '设置支付密码', en: 'Set payment PIN' },
  issue: { zh: '发券', en: 'Issue' },
  void: { zh: '作废', en: 'Void' },
};

export const RESOURCES: Record<string, { label: Label; actions: string[] }> = {
  'member:member': {
    label: { zh: '会员', en: 'Members' },
    actions: ['view', 'create', 'update', 'freeze', 'reveal', 'export', 'import'],
  },
  'member:channel': { label: { zh: '注册渠道', en: 'Registration channels' }, actions: ['view', 'create', 'update'] },
  'member:privacy': { label: { zh: '个人信息权利（查阅复制、删除）', en: 'Personal data rights (copy, erase)' }, actions: ['export', 'erase'] },
  'order:order': { label: { zh: '订单与收银', en: 'Orders and checkout' }, actions: ['view', 'create', 'refund'] },
  'loyalty:points': { label: { zh: '积分', en: 'Points' }, actions: ['view', 'adjust', 'grant'] },
  'loyalty:wallet': { label: { zh: '储值', en: 'Stored value' }, actions: ['view', 'topup', 'refund', 'pin'] },
  'loyalty:plan': { label: { zh: '储值方案', en: 'Top-up plans' }, actions: ['view', 'create', 'update'] },
  'loyalty:settings': { label: { zh: '积分与储值设置', en: 'Points and stored value settings' }, actions: ['view', 'update'] },
  'loyalty:tier': { label: { zh: '会员等级', en: 'Member tiers' }, actions: ['view', 'update', 'adjust'] },
  'marketing:coupon': { label: { zh: '优惠券', en: 'Coupons' }, actions: ['view', 'create', 'update', 'issue', 'void'] },
  'loyalty:report': { label: { zh: '储值负债报表', en: 'Stored value liability report' }, actions: ['view'] },
  'system:form': { label: { zh: '会员表单设计', en: 'Member form design' }, actions: ['view', 'update'] },
  'system:info': { label: { zh: '系统信息', en: 'System information' }, actions: ['view'] },
  'system:store': { label: { zh: '门店', en: 'Stores' }, actions: ['view', 'create', 'update'] },
  'system:user': {
    label: { zh: '员工', en: 'Staff' },
    actions: ['view', 'create', 'update', 'reset_password', 'revoke_session'],
  },
  'system:role': { label: { zh: '角色与权限', en: 'Roles and permissions' }, actions: ['view', 'create', 'update', 'delete'] },
  'system:apikey': { label: { zh: 'API 密钥', en: 'API keys' }, actions: ['view', 'create', 'revoke'] },
  'system:job': { label: { zh: '后台任务', en: 'Background jobs' }, actions: ['view', 'run', 'update'] },
  'system:backup': { label: { zh: '备份', en: 'Backups' }, actions: ['view', 'run'] },
  'audit:log': { label: { zh: '操作日志与登录日志', en: 'Operation and login logs' }, actions: ['view', 'export', 'verify'] },
};

export const PERMISSIONS: Record<string, Label> = Object.fromEntries(
  Object.entries(RESOURCES).flatMap(([resource, { label, actions }]) =>
    actions.map((action) => [
      `${resource}:${action}`,
      { zh: `${label.zh}：${ACTION_LABELS[action].zh}`, en: `${label.en}: ${ACTION_LABELS[action].en}` },
    ]),
  ),
);

/** Granted to super admins: every permission, present and future. */
export const ALL_PERMISSIONS = '*';

export function isKnownPermission(code: string): boolean {
  return Object.hasOwn(PERMISSIONS, code);
}

export function permissionGroups() {
  return Object.entries(RESOURCES).map(([key, { label, actions }]) => ({
    key,
    label,
    actions: actions.map((action) => ({ code: `${key}:${action}`, action, label: ACTION_LABELS[action] })),
  }));
}

/** Whether a holder of `held` has every permission in `wanted` ('*' holds all). */
export function holdsAll(held: ReadonlySet<string>, wanted: Iterable<string>): boolean {
  if (held.has(ALL_PERMISSIONS)) return true;
  for (const code of wanted) if (!held.has(code)) return false;
  return true;
}
