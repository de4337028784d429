import Database from 'better-sqlite3';
import { listInsights } from '/work/wt/insightsui/src/main/core/engine/insightQuery.ts';
const db = new Database('/tmp/seedtest/workspaces/ws_130bb2fd4273.sqlite');
const cases: any[] = [{}, {severities:['critical']}, {severities:['critical'], statuses:['completed','acknowledged']}, {domains:['support']}, {personas:['ticket_analyst'], severities:['high']}, {search:'billing'}, {sort:{column:'severity',desc:true}}, {from:'2026-01-01', to:'2026-02-01'}, {entityType:'tickets', entityId: 12}, {sort:{column:'title',desc:false}}];
for (const c of cases) { const t=performance.now(); let r; for (let i=0;i<3;i++) r = listInsights(db as any, {...c, offset:0, limit:200}); console.log(JSON.stringify(c), r!.total, ((performance.now()-t)/3).toFixed(1)+'ms'); }
