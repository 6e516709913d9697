import type { FieldInput, FieldRegistry } from './registry.js';

/**
 * The built-in fields of members, orders and ledger rows. The domain modules own the
 * columns; this list is what the field guard lets through, so a column missing here is
 * invisible to every role until it is added. Custom member fields are registered at
 * runtime by the members module (`registry.defineCustomField('member', ...)`).
 */

const label = (zh: string, en: string) => ({ zh, en });
const lookup = { filterable: true, sortable: true, searchable: true };
const filterSort = { filterable: true, sortable: true };

export const MEMBER_FIELDS: readonly FieldInput[] = [
  { key: 'cardNo', label: label('会员卡号', 'Card number'), mask: 'last4', ...lookup },
  { key: 'name', label: label('姓名', 'Name'), sensitivity: 'personal', mask: 'name', ...lookup },
  { key: 'nickname', label: label('昵称', 'Nickname'), ...lookup },
  { key: 'gender', label: label('性别', 'Gender'), filterable: true },
  { key: 'birthday', label: label('生日', 'Birthday'), sensitivity: 'personal', mask: 'birthday', ...filterSort },
  { key: 'region', label: label('地区', 'Region'), ...filterSort },
  {
    key: 'phone',
    label: label('手机号', 'Phone'),
    sensitivity: 'contact',
    mask: 'phone',
    ...lookup,
    exactMatchWhenMasked: 'phone',
  },
  { key: 'email', label: label('电子邮箱', 'E-mail'), sensitivity: 'contact', mask: 'email', ...lookup },
  { key: 'wechatId', label: label('微信号', 'WeChat ID'), sensitivity: 'contact', mask: 'full', filterable: true },
  { key: 'idNumber', label: label('身份证号', 'ID number'), sensitivity: 'contact', mask: 'idNumber', filterable: true },
  { key: 'status', label: label('状态', 'Status'), filterable: true },
  { key: 'frozenReason', label: label('冻结原因', 'Reason frozen') },
  { key: 'homeStoreId', label: label('所属门店', 'Home store'), filterable: true },
  { key: 'channel', label: label('来源渠道', 'Channel'), filterable: true },
  { key: 'referrerId', label: label('推荐人', 'Referrer'), filterable: true },
  { key: 'managerId', label: label('专属顾问', 'Account manager'), filterable: true },
  { key: 'registeredAt', label: label('注册时间', 'Registered at'), ...filterSort },
  { key: 'lastVisitAt', label: label('最近到店', 'Last visit'), ...filterSort },
  { key: 'notes', label: label('备注', 'Notes'), sensitivity: 'personal', mask: 'full', searchable: true },
  { key: 'pointsBalance', label: label('积分余额', 'Points balance'), sensitivity: 'financial', ...filterSort },
  { key: 'storedValueBalance', label: label('储值余额', 'Stored value balance'), sensitivity: 'financial', ...filterSort },
  { key: 'totalSpent', label: label('累计消费', 'Total spent'), sensitivity: 'financial', ...filterSort },
  // The checkout contract's names for the balances: points (negative when owed) and stored value by bucket.
  { key: 'points', label: label('积分', 'Points'), sensitivity: 'financial' },
  { key: 'wallet', label: label('储值（本金/赠送）', 'Stored value (principal/bonus)'), sensitivity: 'financial' },
  { key: 'tierId', label: label('会员等级', 'Tier'), filterable: true },
];

export const ORDER_FIELDS: readonly FieldInput[] = [
  { key: 'orderNo', label: label('订单号', 'Order number'), ...lookup },
  { key: 'externalNo', label: label('外部单号', 'External number'), ...lookup },
  { key: 'storeId', label: label('门店', 'Store'), filterable: true },
  { key: 'memberId', label: label('会员', 'Member'), filterable: true },
  { key: 'amount', label: label('订单金额', 'Amount'), sensitivity: 'financial', ...filterSort },
  { key: 'paid', label: label('实付金额', 'Paid'), sensitivity: 'financial', ...filterSort },
  { key: 'discount', label: label('优惠金额', 'Discount'), sensitivity: 'financial', ...filterSort },
  { key: 'payments', label: label('支付明细', 'Payments'), sensitivity: 'financial' },
  { key: 'pointsEarned', label: label('获得积分', 'Points earned'), sensitivity: 'financial', ...filterSort },
  { key: 'status', label: label('状态', 'Status'), filterable: true },
  { key: 'occurredAt', label: label('交易时间', 'Occurred at'), ...filterSort },
  { key: 'cashierId', label: label('收银员', 'Cashier'), filterable: true },
  { key: 'payable', label: label('应付金额', 'Payable'), sensitivity: 'financial' },
  { key: 'pointsUsed', label: label('使用积分', 'Points used'), sensitivity: 'financial' },
  { key: 'refundedAmount', label: label('已退金额', 'Refunded'), sensitivity: 'financial' },
  { key: 'refundable', label: label('可退金额', 'Refundable'), sensitivity: 'financial' },
  { key: 'items', label: label('商品明细', 'Items'), sensitivity: 'financial' },
  { key: 'discounts', label: label('优惠明细', 'Discounts'), sensitivity: 'financial' },
  { key: 'refunds', label: label('退款记录', 'Refunds'), sensitivity: 'financial' },
];

export const LEDGER_FIELDS: readonly FieldInput[] = [
  { key: 'memberId', label: label('会员', 'Member'), filterable: true },
  { key: 'kind', label: label('类型', 'Kind'), filterable: true },
  { key: 'amount', label: label('变动', 'Change'), sensitivity: 'financial', ...filterSort },
  { key: 'balanceAfter', label: label('变动后余额', 'Balance after'), sensitivity: 'financial' },
  { key: 'source', label: label('来源', 'Source'), filterable: true },
  { key: 'sourceId', label: label('来源单据', 'Source record'), filterable: true },
  { key: 'occurredAt', label: label('发生时间', 'Occurred at'), ...filterSort },
  { key: 'storeId', label: label('门店', 'Store'), filterable: true },
];

/** Defines the built-in member, order and ledger fields on a fresh registry. */
export function registerBuiltinFields(registry: FieldRegistry): FieldRegistry {
  return registry.define('member', MEMBER_FIELDS).define('order', ORDER_FIELDS).define('ledger', LEDGER_FIELDS);
}
