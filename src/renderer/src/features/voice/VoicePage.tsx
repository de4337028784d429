import { PlannedFeature } from '../../components/PlannedFeature';

export function VoicePage() {
  return (
    <PlannedFeature
      title="Voice"
      summary="Drive Intelligence Desk by voice from your microphone."
      points={['Speech-to-text through the configured transcription model', 'Intent recognition that maps commands to app actions, with confirmation before anything changes']}
    />
  );
}
