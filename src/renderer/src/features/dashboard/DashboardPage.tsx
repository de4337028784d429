import { PlannedFeature } from '../../components/PlannedFeature';

export function DashboardPage() {
  return (
    <PlannedFeature
      title="Dashboard"
      summary="The state of the organisation at a glance, computed from the current workspace."
      points={[
        'Insight counts by severity across all personas',
        'Anomaly and trend cards found without a model (ticket volume, SLA breaches, pipeline, campaign CTR/CPA, vendor on-time rate, agent CSAT)',
        'Workspace-level coaching insights across strategy, operations, finance, marketing and leadership',
      ]}
    />
  );
}
