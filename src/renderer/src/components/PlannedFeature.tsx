import type { ReactNode } from 'react';
import { Alert, List, Stack, Text, Title } from '@mantine/core';
import { IconInfoCircle } from '@tabler/icons-react';

/** A page whose feature is not built yet: says what it will do, and shows no made-up data. */
export function PlannedFeature({ title, summary, points, children }: { title: string; summary: string; points: string[]; children?: ReactNode }) {
  return (
    <Stack maw={760}>
      <Title order={2}>{title}</Title>
      <Text c="dimmed">{summary}</Text>
      <Alert variant="light" icon={<IconInfoCircle />} title="Coming in a later release">
        <Text size="sm" mb="xs">
          This page is part of Intelligence Desk's plan; it will:
        </Text>
        <List size="sm" spacing={4}>
          {points.map((p) => (
            <List.Item key={p}>{p}</List.Item>
          ))}
        </List>
      </Alert>
      {children}
    </Stack>
  );
}
