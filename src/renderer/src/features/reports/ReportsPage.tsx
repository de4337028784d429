import { PlannedFeature } from '../../components/PlannedFeature';

export function ReportsPage() {
  return (
    <PlannedFeature
      title="Reports"
      summary="Shareable reports built from insights and metrics."
      points={['Report templates with an AI-written narrative', 'PDF export, on demand or on a schedule']}
    />
  );
}
