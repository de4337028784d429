import { PlannedFeature } from '../../components/PlannedFeature';

export function InsightsPage() {
  return (
    <PlannedFeature
      title="Insights"
      summary="Everything the AI specialists found, with the evidence behind it."
      points={[
        'Filter by domain, persona, severity, status, entity and date; full-text search and sort',
        'A detail pane with the structured fields, factors linked to their records, recommendations, and which model answered at what cost',
        'Acknowledge, mark as actioned or dismiss, each with a note',
        '“Analyze now” on any record and batch scans, with live progress and cancel',
      ]}
    />
  );
}
