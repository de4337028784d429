import { PlannedFeature } from '../../components/PlannedFeature';

export function AnalyticsPage() {
  return (
    <PlannedFeature
      title="Analytics"
      summary="Charts of the workspace's operational metrics."
      points={['Ticket volume, SLA performance, pipeline, campaign, vendor and agent metrics over time', 'Model usage and cost over time']}
    />
  );
}
