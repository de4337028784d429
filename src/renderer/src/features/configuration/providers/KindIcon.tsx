import { ThemeIcon } from '@mantine/core';
import { IconBrandAzure, IconBrandGoogle, IconBrandOpenai, IconCpu, IconPlugConnected, IconSparkles } from '@tabler/icons-react';
import type { ProviderInfo } from '@shared/contract';

const ICON = { openai: IconBrandOpenai, 'openai-compatible': IconPlugConnected, azure: IconBrandAzure, anthropic: IconSparkles, gemini: IconBrandGoogle, local: IconCpu } as const;
const COLOR = { openai: 'teal', 'openai-compatible': 'indigo', azure: 'blue', anthropic: 'orange', gemini: 'grape', local: 'gray' } as const;

/** A small tinted icon per provider kind, so a list of endpoints scans at a glance. */
export function KindIcon({ kind, size = 18 }: { kind: ProviderInfo['kind']; size?: number }) {
  const Icon = ICON[kind];
  return (
    <ThemeIcon variant="light" color={COLOR[kind]} size={size + 10} radius="md" aria-hidden>
      <Icon size={size} stroke={1.6} />
    </ThemeIcon>
  );
}
