import { idAttribute, refAttribute, zeroColumn } from '../../platform/db/number-columns.js';
import {
  DataTypes,
  Model,
  type CreationOptional,
  type InferAttributes,
  type InferCreationAttributes,
  type Sequelize,
} from 'sequelize';

export type OrderStatus = 'completed' | 'partially_refunded' | 'refunded';
export const PAYMENT_METHODS = ['wallet', 'points', 'cash', 'wechat', 'alipay', 'card', 'other'] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];

export function defineOrderModels(sequelize: Sequelize) {
  class Order extends Model<InferAttributes<Order>, InferCreationAttributes<Order>> {
    declare id: CreationOptional<number>;
    declare orderNo: string;
    declare source: string | null;
    declare externalNo: string | null;
    declare memberId: number | null;
    declare storeId: number;
    declare channel: string | null;
    declare cashierId: number | null;
    declare apiKeyId: number | null;
    declare salespersonId: number | null;
    declare occurredAt: Date;
    declare amount: number;
    declare discount: number;
    declare payable: number;
    declare pointsUsed: number;
    declare pointsEarned: number;
    declare refundedAmount: CreationOptional<number>;
    declare status: CreationOptional<OrderStatus>;
    declare note: string | null;
    declare createdAt: CreationOptional<Date>;
    declare updatedAt: CreationOptional<Date>;
  }
  Order.init(
    {
      id: idAttribute(),
      orderNo: { type: DataTypes.STRING(32), allowNull: false },
      source: DataTypes.STRING(32),
      externalNo: DataTypes.STRING(64),
      memberId: refAttribute('memberId'),
      storeId: refAttribute('storeId', false),
      channel: DataTypes.STRING(32),
      cashierId: refAttribute('cashierId'),
      apiKeyId: refAttribute('apiKeyId'),
      salespersonId: refAttribute('salespersonId'),
      occurredAt: { type: DataTypes.DATE(3), allowNull: false },
      amount: zeroColumn('amount'),
      discount: zeroColumn('discount'),
      payable: zeroColumn('payable'),
      pointsUsed: zeroColumn('pointsUsed'),
      pointsEarned: zeroColumn('pointsEarned'),
      refundedAmount: zeroColumn('refundedAmount'),
      status: { type: DataTypes.STRING(24), allowNull: false, defaultValue: 'completed' },
      note: DataTypes.STRING(255),
      createdAt: DataTypes.DATE(3),
      updatedAt: DataTypes.DATE(3),
    },
    { sequelize, tableName: 'orders', timestamps: true, underscored: true },
  );

  class OrderItem extends Model<InferAttributes<OrderItem>, InferCreationAttributes<OrderItem>> {
    declare id: CreationOptional<number>;
    declare orderId: number;
    declare lineNo: number;
    declare sku: string;
    declare name: string;
    declare category: string | null;
    declare quantity: number;
    declare unitPrice: number;
    declare amount: number;
    declare discount: number;
    declare payable: number;
    declare refundedQuantity: CreationOptional<number>;
    declare refundedAmount: CreationOptional<number>;
  }
  OrderItem.init(
    {
      id: idAttribute(),
      orderId: refAttribute('orderId', false),
      lineNo: { type: DataTypes.INTEGER, allowNull: false },
      sku: { type: DataTypes.STRING(64), allowNull: false },
      name: { type: DataTypes.STRING(128), allowNull: false },
      category: DataTypes.STRING(64),
      quantity: { type: DataTypes.INTEGER, allowNull: false },
      unitPrice: zeroColumn('unitPrice'),
      amount: zeroColumn('amount'),
      discount: zeroColumn('discount'),
      payable: zeroColumn('payable'),
      refundedQuantity: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      refundedAmount: zeroColumn('refundedAmount'),
    },
    { sequelize, tableName: 'order_items', timestamps: false, underscored: true },
  );

  class OrderDiscount extends Model<InferAttributes<OrderDiscount>, InferCreationAttributes<OrderDiscount>> {
    declare id: CreationOptional<number>;
    declare orderId: number;
    declare step: string;
    declare reference: string | null;
    declare label: string;
    declare amount: number;
    /** JSON: { [lineNo]: amount }. */
    declare lines: string;
  }
  OrderDiscount.init(
    {
      id: idAttribute(),
      orderId: refAttribute('orderId', false),
      step: { type: DataTypes.STRING(24), allowNull: false },
      reference: DataTypes.STRING(64),
      label: { type: DataTypes.STRING(128), allowNull: false },
      amount: zeroColumn('amount'),
      lines: { type: DataTypes.TEXT, allowNull: false },
    },
    { sequelize, tableName: 'order_discounts', timestamps: false, underscored: true },
  );

  class OrderPayment extends Model<InferAttributes<OrderPayment>, InferCreationAttributes<OrderPayment>> {
    declare id: CreationOptional<number>;
    declare orderId: number;
    declare method: PaymentMethod;
    declare amount: number;
    declare points: number;
    declare principal: number;
    declare bonus: number;
    declare refundedAmount: CreationOptional<number>;
    declare refundedPoints: CreationOptional<number>;
  }
  OrderPayment.init(
    {
      id: idAttribute(),
      orderId: refAttribute('orderId', false),
      method: { type: DataTypes.STRING(16), allowNull: false },
      amount: zeroColumn('amount'),
      points: zeroColumn('points'),
      principal: zeroColumn('principal'),
      bonus: zeroColumn('bonus'),
      refundedAmount: zeroColumn('refundedAmount'),
      refundedPoints: zeroColumn('refundedPoints'),
    },
    { sequelize, tableName: 'order_payments', timestamps: false, underscored: true },
  );

  class OrderRefund extends Model<InferAttributes<OrderRefund>, InferCreationAttributes<OrderRefund>> {
    declare id: CreationOptional<number>;
    declare refundNo: string;
    declare orderId: number;
    declare amount: number;
    declare lines: string | null;
    declare payments: string;
    declare pointsReturned: number;
    declare pointsReversed: number;
    declare reason: string | null;
    declare operatorId: number | null;
    declare apiKeyId: number | null;
    declare createdAt: CreationOptional<Date>;
  }
  OrderRefund.init(
    {
      id: idAttribute(),
      refundNo: { type: DataTypes.STRING(32), allowNull: false },
      orderId: refAttribute('orderId', false),
      amount: zeroColumn('amount'),
      lines: DataTypes.TEXT,
      payments: { type: DataTypes.TEXT, allowNull: false },
      pointsReturned: zeroColumn('pointsReturned'),
      pointsReversed: zeroColumn('pointsReversed'),
      reason: DataTypes.STRING(255),
      operatorId: refAttribute('operatorId'),
      apiKeyId: refAttribute('apiKeyId'),
      createdAt: DataTypes.DATE(3),
    },
    { sequelize, tableName: 'order_refunds', timestamps: true, updatedAt: false, underscored: true },
  );

  return { Order, OrderItem, OrderDiscount, OrderPayment, OrderRefund };
}

export type OrderModels = ReturnType<typeof defineOrderModels>;
export type OrderRecord = InstanceType<OrderModels['Order']>;
export type OrderItemRecord = InstanceType<OrderModels['OrderItem']>;
export type OrderPaymentRecord = InstanceType<OrderModels['OrderPayment']>;
export type OrderRefundRecord = InstanceType<OrderModels['OrderRefund']>;
