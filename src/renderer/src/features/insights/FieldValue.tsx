import { List, Table, Text } from '@mantine/core';
import { fieldLabel, fieldValue } from './format';
import classes from './insights.module.css';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * A persona's field as people read it: lists as bullets, lists of records (KPIs, reallocations, blockers) as a small
 * table with labelled columns, a nested record as label/value pairs, anything else as text.
 */
export function FieldValue({ value, testId }: { value: unknown; testId?: string }) {
  if (Array.isArray(value) && value.length > 0) {
    if (value.every(isObj)) {
      const columns = [...new Set(value.flatMap((o) => Object.keys(o)))];
      return (
        <Table.ScrollContainer minWidth={240} data-testid={testId}>
          <Table withTableBorder withColumnBorders verticalSpacing={2} horizontalSpacing={6} fz="xs">
            <Table.Thead>
              <Table.Tr>
                {columns.map((c) => (
                  <Table.Th key={c}>{fieldLabel(c)}</Table.Th>
                ))}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {value.map((o, i) => (
                <Table.Tr key={i}>
                  {columns.map((c) => (
                    <Table.Td key={c}>{isObj(o[c]) || Array.isArray(o[c]) ? JSON.stringify(o[c]) : fieldValue(o[c])}</Table.Td>
                  ))}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      );
    }
    return (
      <List size="sm" spacing={2} className={classes.nested} data-testid={testId}>
        {value.map((v, i) => (
          <List.Item key={i}>{isObj(v) ? JSON.stringify(v) : fieldValue(v)}</List.Item>
        ))}
      </List>
    );
  }
  if (isObj(value)) {
    return (
      <div className={classes.kv} data-testid={testId}>
        {Object.entries(value).map(([k, v]) => (
          <span key={k} style={{ display: 'contents' }}>
            <Text span size="xs" c="dimmed">
              {fieldLabel(k)}
            </Text>
            <Text span size="sm">
              {isObj(v) || Array.isArray(v) ? JSON.stringify(v) : fieldValue(v)}
            </Text>
          </span>
        ))}
      </div>
    );
  }
  return (
    <Text size="sm" style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }} data-testid={testId}>
      {fieldValue(value)}
    </Text>
  );
}
