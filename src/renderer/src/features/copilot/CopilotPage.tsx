import { PlannedFeature } from '../../components/PlannedFeature';

export function CopilotPage() {
  return (
    <PlannedFeature
      title="Copilot"
      summary="Ask questions about your operations in plain language."
      points={['Chat grounded in the workspace records, with citations you can open', 'Streaming answers through the configured model policy, with cost shown']}
    />
  );
}
