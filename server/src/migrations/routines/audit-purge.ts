import type { Sequelize } from 'sequelize';

export const AUDIT_PURGE_PROCEDURE = 'huiji_audit_purge';

/**
 * On MySQL the app's own account may only read and append audit records (SELECT and INSERT
 * on the audit tables). The retention purge still has to delete the oldest ones, so it goes
 * through this procedure, which runs with its definer's rights (the account that ran the
 * migrations) and deletes only a chain segment that is past the legal minimum of 180 days
 * and already closed by a signed purge checkpoint. Nothing newer can be deleted this way.
 */
const BODY = `
CREATE PROCEDURE ${AUDIT_PURGE_PROCEDURE}(IN p_seq_to BIGINT)
SQL SECURITY DEFINER
MODIFIES SQL DATA
BEGIN
  DECLARE v_newest DATETIME(3);
  SELECT MAX(a.occurred_at) INTO v_newest
    FROM audit_chain c JOIN audit_logs a ON a.id = c.record_id
   WHERE c.seq <= p_seq_to;
  IF v_newest IS NOT NULL AND v_newest >= UTC_TIMESTAMP(3) - INTERVAL 180 DAY THEN
    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'audit records younger than 180 days cannot be purged';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM audit_checkpoints WHERE kind = 'purge' AND seq_to = p_seq_to) THEN
    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'an audit purge needs its signed checkpoint first';
  END IF;
  DELETE a FROM audit_logs a JOIN audit_chain c ON c.record_id = a.id WHERE c.seq <= p_seq_to;
  DELETE FROM audit_chain WHERE seq <= p_seq_to;
END`;

/** Re-created after every migration run and every restore: a routine is code, not data, so backups do not carry it. */
export async function ensureAuditPurgeRoutine(sequelize: Sequelize): Promise<void> {
  if (sequelize.getDialect() !== 'mysql') return;
  await sequelize.query(`DROP PROCEDURE IF EXISTS ${AUDIT_PURGE_PROCEDURE}`);
  await sequelize.query(BODY);
}
