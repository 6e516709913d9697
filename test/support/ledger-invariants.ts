import { expect } from 'chai';
import { QueryTypes, type Sequelize } from 'sequelize';

type Row = Record<string, number | string | null>;
const rowsOf = (sequelize: Sequelize, sql: string, replacements: unknown[] = []) => sequelize.query<Row>(sql, { replacements, type: QueryTypes.SELECT });

/**
 * The points ledger's invariants for one member: the cached balance is the sum of the
 * ledger's deltas; each row's balance_after is the running sum in id order; no lot holds
 * less than 0 or more than it was earned with; while the balance is not negative the lots
 * hold exactly the balance, and while it is negative (points owed) they hold nothing.
 */
export async function assertPointsInvariants(sequelize: Sequelize, memberId: number): Promise<void> {
  const [member] = await rowsOf(sequelize, 'SELECT points_balance AS balance FROM members WHERE id = ?', [memberId]);
  expect(member, `member ${memberId}`).to.not.equal(undefined);
  const balance = Number(member.balance);
  const ledger = await rowsOf(sequelize, 'SELECT id, delta, balance_after FROM point_ledger WHERE member_id = ? ORDER BY id', [memberId]);
  let running = 0;
  for (const row of ledger) {
    running += Number(row.delta);
    expect(Number(row.balance_after), `member ${memberId}: balance_after of ledger row ${row.id}`).to.equal(running);
  }
  expect(balance, `member ${memberId}: cached points balance vs the sum of its ledger`).to.equal(running);
  const lots = await rowsOf(sequelize, 'SELECT id, amount, remaining FROM point_lots WHERE member_id = ?', [memberId]);
  let held = 0;
  for (const lot of lots) {
    const remaining = Number(lot.remaining);
    expect(remaining, `member ${memberId}: lot ${lot.id} remaining`).to.be.within(0, Number(lot.amount));
    held += remaining;
  }
  expect(held, `member ${memberId}: points held in lots vs balance ${balance}`).to.equal(Math.max(0, balance));
}

/** assertPointsInvariants for every member with a points balance, a ledger row or a lot. */
export async function assertAllPointsInvariants(sequelize: Sequelize): Promise<void> {
  const members = await rowsOf(
    sequelize,
    'SELECT id FROM members WHERE points_balance <> 0 UNION SELECT member_id FROM point_ledger UNION SELECT member_id FROM point_lots',
  );
  for (const { id } of members) await assertPointsInvariants(sequelize, Number(id));
}

/**
 * The stored-value invariants for one member: each bucket's cached total (wallet_principal,
 * wallet_bonus) is the sum of the ledger's deltas and the sum of the top-ups' remainders;
 * each top-up's remainders are the sums of its own ledger rows and lie between 0 and what
 * it was bought with less what was refunded or voided; principal_after / bonus_after are
 * the running sums in id order; stored_value_balance is principal + bonus.
 */
export async function assertWalletInvariants(sequelize: Sequelize, memberId: number): Promise<void> {
  const [member] = await rowsOf(sequelize, 'SELECT wallet_principal AS p, wallet_bonus AS b, stored_value_balance AS total FROM members WHERE id = ?', [memberId]);
  expect(member, `member ${memberId}`).to.not.equal(undefined);
  const principal = Number(member.p);
  const bonus = Number(member.b);
  expect(Number(member.total), `member ${memberId}: stored_value_balance vs principal + bonus`).to.equal(principal + bonus);
  const ledger = await rowsOf(sequelize, 'SELECT id, topup_id, principal_delta, bonus_delta, principal_after, bonus_after FROM wallet_ledger WHERE member_id = ? ORDER BY id', [memberId]);
  let p = 0;
  let b = 0;
  const perTopup = new Map<number, { p: number; b: number }>();
  for (const row of ledger) {
    p += Number(row.principal_delta);
    b += Number(row.bonus_delta);
    expect([Number(row.principal_after), Number(row.bonus_after)], `member ${memberId}: principal_after/bonus_after of wallet row ${row.id}`).to.deep.equal([p, b]);
    const sums = perTopup.get(Number(row.topup_id)) ?? { p: 0, b: 0 };
    sums.p += Number(row.principal_delta);
    sums.b += Number(row.bonus_delta);
    perTopup.set(Number(row.topup_id), sums);
  }
  expect([principal, bonus], `member ${memberId}: cached wallet totals vs the sum of its ledger`).to.deep.equal([p, b]);
  const topups = await rowsOf(
    sequelize,
    'SELECT id, principal, bonus, principal_remaining, bonus_remaining, refunded_principal, voided_bonus FROM wallet_topups WHERE member_id = ?',
    [memberId],
  );
  let heldP = 0;
  let heldB = 0;
  for (const topup of topups) {
    const pr = Number(topup.principal_remaining);
    const br = Number(topup.bonus_remaining);
    expect(pr, `top-up ${topup.id} principal_remaining`).to.be.within(0, Number(topup.principal) - Number(topup.refunded_principal));
    expect(br, `top-up ${topup.id} bonus_remaining`).to.be.within(0, Number(topup.bonus) - Number(topup.voided_bonus));
    expect([pr, br], `top-up ${topup.id}: remainders vs the sum of its ledger rows`).to.deep.equal([perTopup.get(Number(topup.id))?.p ?? 0, perTopup.get(Number(topup.id))?.b ?? 0]);
    heldP += pr;
    heldB += br;
  }
  expect([heldP, heldB], `member ${memberId}: wallet totals vs the top-ups' remainders`).to.deep.equal([principal, bonus]);
}

/** assertWalletInvariants for every member with stored value, a wallet ledger row or a top-up. */
export async function assertAllWalletInvariants(sequelize: Sequelize): Promise<void> {
  const members = await rowsOf(
    sequelize,
    'SELECT id FROM members WHERE stored_value_balance <> 0 OR wallet_principal <> 0 OR wallet_bonus <> 0 UNION SELECT member_id FROM wallet_ledger UNION SELECT member_id FROM wallet_topups',
  );
  for (const { id } of members) await assertWalletInvariants(sequelize, Number(id));
}
