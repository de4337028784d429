import { Anchor, Badge, Group, Paper, SimpleGrid, Stack, Text } from '@mantine/core';
import { Sparkline } from '@mantine/charts';
import { IconAlertTriangle, IconTrendingDown, IconTrendingUp } from '@tabler/icons-react';
import { Link, useNavigate } from 'react-router';
import { OPEN_STATUSES } from '@shared/insights';
import type { InsightCard } from '@shared/contract';
import { fmtAgo } from '../configuration/shared/format';
import { SEVERITY_COLOR, SEVERITY_LABEL, domainLabel } from '../insights/format';
import { insightsLink } from '../insights/insightParams';

const SHOWN = 6;

function Card({ card }: { card: InsightCard }) {
  const values = card.dataPoints.map((p) => p.value ?? 0);
  const color = card.severity ? `${SEVERITY_COLOR[card.severity]}.6` : 'indigo.6';
  const kind = String(card.fields.kind ?? '');
  const Icon = card.type === 'anomaly' ? IconAlertTriangle : kind === 'trend_down' ? IconTrendingDown : IconTrendingUp;
  return (
    <Paper withBorder p="md" radius="md" data-testid={`${card.type}-card`}>
      <Stack gap={6} h="100%">
        <Group justify="space-between" wrap="nowrap">
          <Group gap={6} wrap="nowrap" style={{ minWidth: 0 }}>
            <Icon size={16} style={{ flexShrink: 0, color: `var(--mantine-color-${card.severity ? SEVERITY_COLOR[card.severity] : 'indigo'}-6)` }} />
            <Text size="xs" c="dimmed" truncate="end">
              {String(card.fields.metricLabel ?? domainLabel(card.domain))}
            </Text>
          </Group>
          {card.severity && (
            <Badge size="xs" color={SEVERITY_COLOR[card.severity]} variant="light">
              {SEVERITY_LABEL[card.severity]}
            </Badge>
          )}
        </Group>
        <Text size="sm" fw={600} lineClamp={2}>
          {card.title}
        </Text>
        {values.length > 1 && <Sparkline h={48} data={values} color={color} curveType="linear" fillOpacity={0.25} strokeWidth={1.6} aria-label={`${card.title}: series`} />}
        <Text size="xs" c="dimmed" lineClamp={2}>
          {card.summary}
        </Text>
        <Group justify="space-between" mt="auto">
          <Text size="xs" c="dimmed">
            {card.entityTitle ?? domainLabel(card.domain)} · {fmtAgo(card.createdAt)}
          </Text>
          <Anchor component={Link} to={`/insights?id=${encodeURIComponent(card.id)}`} size="xs">
            Details
          </Anchor>
        </Group>
      </Stack>
    </Paper>
  );
}

/** Anomaly or trend cards from the detectors (no model involved): the metric, the finding and its series. */
export function DetectorCards({ title, cards, kind, ran }: { title: string; cards: InsightCard[]; kind: 'anomaly' | 'trend'; ran: boolean }) {
  const navigate = useNavigate();
  const seeAll = (): void => {
    void navigate(insightsLink({ type: [kind], status: [...OPEN_STATUSES] }));
  };
  return (
    <Stack gap="xs">
      <Group justify="space-between">
        <Text fw={600}>{title}</Text>
        {cards.length > SHOWN && (
          <Anchor component="button" type="button" size="sm" onClick={seeAll}>
            See all in Insights
          </Anchor>
        )}
      </Group>
      {cards.length === 0 ? (
        <Paper withBorder p="md" radius="md">
          <Text size="sm" c="dimmed">
            {ran
              ? `No open ${kind === 'anomaly' ? 'anomalies' : 'trends'}: the workspace metrics look ${kind === 'anomaly' ? 'steady' : 'flat'}.`
              : `Detection has not run on this workspace yet. Use “Detect anomalies” above; it reads ticket volume, SLA breaches, pipeline, campaign and vendor metrics, and needs no model.`}
          </Text>
        </Paper>
      ) : (
        <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }}>
          {cards.slice(0, SHOWN).map((c) => (
            <Card key={c.id} card={c} />
          ))}
        </SimpleGrid>
      )}
    </Stack>
  );
}
