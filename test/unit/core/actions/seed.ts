import type { Core } from '../../../../src/main/core/createCore';

const at = '2026-06-01T10:00:00Z';

/** A small CRM and help desk, written with Kysely so it runs on either engine. */
export async function seedActionsWorkspace(core: Core, name = 'w'): Promise<void> {
  await core.call('workspace.create', { name });
  await core.services.workspaces.withWorkspace(name, (ctx) =>
    ctx.transaction(async (tx) => {
      await tx.db.insertInto('users').values({ id: 4, name: 'Isaac Romano', email: 'isaac@corp.example', role: 'sales', created_at: at }).execute();
      await tx.db.insertInto('accounts').values({ id: 22, name: 'Acme Corp', domain: 'acme.example', tier: 'enterprise', owner_id: 4, created_at: at }).execute();
      await tx.db.insertInto('contacts').values({ id: 57, account_id: 22, first_name: 'Jane', last_name: 'Roe', email: 'jane.roe@gmail.example', phone: '+1 555 0100', owner_id: 4, created_at: at }).execute();
      await tx.db
        .insertInto('deals')
        .values([
          { id: 8, name: 'Acme renewal', account_id: 22, contact_id: 57, stage: 'qualification', amount: 50000, probability: 0.4, close_date: '2026-07-31', owner_id: 4, created_at: at },
          { id: 9, name: 'Acme expansion', account_id: 22, stage: 'closed_won', amount: 20000, probability: 1, close_date: '2026-05-31', owner_id: 4, created_at: at },
        ])
        .execute();
      await tx.db.insertInto('tasks').values({ id: 100, title: 'Send pricing', status: 'open', priority: 'high', deal_id: 8, assignee_id: 4, created_at: at }).execute();
      await tx.db.insertInto('agents').values({ id: 1, name: 'Andre Martin', active: 1 }).execute();
      await tx.db.insertInto('tickets').values({ id: 575, code: 'TCK-000575', subject: 'Account locked', status: 'open', priority: 'normal', account_id: 22, contact_id: 57, agent_id: 1, created_at: at }).execute();
      await tx.db.insertInto('notes').values({ id: 900, entity_type: 'deals', entity_id: 8, body: 'Champion is the CFO', author_id: 4, created_at: at }).execute();
    }),
  );
}
