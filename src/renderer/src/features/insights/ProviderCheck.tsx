import { useEffect, useState } from 'react';
import { Alert, Anchor } from '@mantine/core';
import { Link } from 'react-router';
import { call } from '../../api/client';

/** Whether any model provider is set up; personas cannot run without one. */
export function useHasProvider(): boolean | null {
  const [has, setHas] = useState<boolean | null>(null);
  useEffect(() => {
    let live = true;
    call('providers.list', {}).then(
      (r) => live && setHas(r.providers.length > 0),
      () => live && setHas(null),
    );
    return () => {
      live = false;
    };
  }, []);
  return has;
}

export function NoProviderAlert() {
  return (
    <Alert variant="light" color="yellow" title="No model provider configured" data-testid="no-provider">
      The AI personas need a model to talk to. Add an OpenAI-compatible endpoint, Azure OpenAI, Ollama or a local model under{' '}
      <Anchor component={Link} to="/configuration?tab=providers">
        Configuration → Providers
      </Anchor>
      . Anomaly and trend detection work without one.
    </Alert>
  );
}

