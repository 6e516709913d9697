import { insertRows } from '../../platform/db/raw-sql.js';
import { DataTypes, Model, Op, type InferAttributes, type InferCreationAttributes, type CreationOptional, type Sequelize, type Transaction } from 'sequelize';

export interface DomainEvent {
  /** `order.completed`, `order.refunded`, `wallet.topped_up`, `points.expiring`, ... */
  type: string;
  entityType?: string | null;
  entityId?: string | number | null;
  memberId?: number | null;
  payload: Record<string, unknown>;
  at?: Date;
}

function defineEventModel(sequelize: Sequelize) {
  class DomainEventRow extends Model<InferAttributes<DomainEventRow>, InferCreationAttributes<DomainEventRow>> {
    declare id: CreationOptional<number>;
    declare type: string;
    declare entityType: string | null;
    declare entityId: string | null;
    declare memberId: number | null;
    declare payload: string;
    declare occurredAt: Date;
  }
  DomainEventRow.init(
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true, get(this: DomainEventRow) { return Number(this.getDataValue('id')); } },
      type: { type: DataTypes.STRING(64), allowNull: false },
      entityType: DataTypes.STRING(32),
      entityId: DataTypes.STRING(64),
      memberId: DataTypes.BIGINT,
      payload: { type: DataTypes.TEXT, allowNull: false },
      occurredAt: { type: DataTypes.DATE(3), allowNull: false },
    },
    { sequelize, tableName: 'domain_events', timestamps: false, underscored: true },
  );
  return DomainEventRow;
}

/**
 * The outbox of domain events: written in the transaction of the change, so an event
 * exists exactly when its change committed. Automation and webhooks (later issues) read
 * it in order of id.
 */
export class DomainEvents {
  readonly model: ReturnType<typeof defineEventModel>;

  constructor(sequelize: Sequelize) {
    this.model = defineEventModel(sequelize);
  }

  async emit(event: DomainEvent, transaction: Transaction): Promise<void> {
    await this.model.create(
      {
        type: event.type,
        entityType: event.entityType ?? null,
        entityId: event.entityId === undefined || event.entityId === null ? null : String(event.entityId),
        memberId: event.memberId ?? null,
        payload: JSON.stringify(event.payload),
        occurredAt: event.at ?? new Date(),
      },
      { transaction },
    );
  }

  /**
   * Many events in one statement, for bulk work (a tier rule change moving a hundred
   * thousand members): one `emit` each was half the time of such a publish.
   */
  async emitMany(events: readonly DomainEvent[], transaction: Transaction): Promise<void> {
    if (events.length === 0) return;
    const sequelize = this.model.sequelize!;
    await insertRows(
      sequelize,
      'domain_events',
      events.map((event) => ({
        type: event.type,
        entity_type: event.entityType ?? null,
        entity_id: event.entityId === undefined || event.entityId === null ? null : String(event.entityId),
        member_id: event.memberId ?? null,
        payload: JSON.stringify(event.payload),
        occurred_at: event.at ?? new Date(),
      })),
      transaction,
    );
  }

  /** Events after `afterId` of the given types, oldest first. */
  async since(afterId: number, types: readonly string[], limit = 100) {
    const rows = await this.model.findAll({ where: { type: types as string[], id: { [Op.gt]: afterId } }, order: [['id', 'ASC']], limit });
    return rows.map((row) => ({ id: row.id, type: row.type, entityType: row.entityType, entityId: row.entityId, memberId: row.memberId === null ? null : Number(row.memberId), payload: JSON.parse(row.payload) as Record<string, unknown>, occurredAt: row.occurredAt }));
  }
}
