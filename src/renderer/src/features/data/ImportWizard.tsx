import { useState } from 'react';
import { Alert, Badge, Button, Checkbox, FileInput, Group, Modal, NativeSelect, Progress, ScrollArea, Select, Stack, Stepper, Table, Text } from '@mantine/core';
import { IconDownload, IconFileTypeCsv } from '@tabler/icons-react';
import type { CsvDelimiter, ImportReport, RouteOutput } from '@shared/contract';
import { ENTITIES, getEntity } from '@shared/entities';
import { call, errorMessage } from '../../api/client';
import { downloadText, toCsv } from '../../components/download';
import { JobProgress } from '../../components/JobProgress';
import { selectJob, useJobsStore } from '../../stores/jobsStore';
import { waitFor } from './DemoCreator';
import { uploadFile } from './upload';

type Analysis = RouteOutput<'import.analyze'>;
const IMPORTABLE = ENTITIES.filter((e) => e.importable);
const NONE = '__none__';
const DELIMITERS: { value: CsvDelimiter | 'auto'; label: string }[] = [
  { value: 'auto', label: 'Detect from the file' },
  { value: ',', label: 'Comma ,' },
  { value: ';', label: 'Semicolon ;' },
  { value: '\t', label: 'Tab' },
  { value: '|', label: 'Pipe |' },
];
const delimiterLabel = (d: CsvDelimiter): string => DELIMITERS.find((x) => x.value === d)?.label ?? d;

/** Upload → map columns → dry run with a report of bad rows → import. Nothing is written until the last step. */
export function ImportWizard({ workspace, opened, onClose, initialEntity }: { workspace: string; opened: boolean; onClose: () => void; initialEntity?: string }) {
  const [step, setStep] = useState(0);
  const [entity, setEntity] = useState(initialEntity && getEntity(initialEntity)?.importable ? initialEntity : 'tickets');
  const [file, setFile] = useState<File | null>(null);
  const [uploaded, setUploaded] = useState<number | null>(null);
  const [uploadId, setUploadId] = useState<string | null>(null);
  const [analysis, setAnalysis] = useState<Analysis | null>(null);
  const [mapping, setMapping] = useState<Record<string, string | null>>({});
  const [error, setError] = useState<string | null>(null);
  const [jobId, setJobId] = useState<string | null>(null);
  const [report, setReport] = useState<ImportReport | null>(null);
  const [skipBad, setSkipBad] = useState(false);
  const [delimiter, setDelimiter] = useState<CsvDelimiter | 'auto'>('auto');
  const job = useJobsStore(selectJob(jobId));
  const track = useJobsStore((s) => s.track);
  const cancel = useJobsStore((s) => s.cancel);
  const spec = getEntity(entity)!;
  const busy = uploaded !== null && uploaded < 1 ? true : job?.status === 'running' || job?.status === 'queued';

  const reset = (): void => {
    if (uploadId) void call('import.discard', { uploadId }).catch(() => undefined);
    setStep(0);
    setFile(null);
    setUploaded(null);
    setUploadId(null);
    setAnalysis(null);
    setMapping({});
    setError(null);
    setJobId(null);
    setReport(null);
    setSkipBad(false);
    setDelimiter('auto');
  };
  const close = (): void => {
    if (busy) return;
    reset();
    onClose();
  };

  const upload = async (): Promise<void> => {
    if (!file) return;
    setError(null);
    try {
      setUploaded(0);
      const id = await uploadFile(file, setUploaded);
      setUploadId(id);
      const a = await call('import.analyze', { workspace, entity, uploadId: id, delimiter });
      setAnalysis(a);
      setMapping(a.suggestedMapping);
      setStep(1);
    } catch (e) {
      setError(errorMessage(e));
      setUploaded(null);
    }
  };

  const missingRequired = spec.columns.filter((c) => c.required && c.name !== 'created_at' && !mapping[c.name]);

  const runJob = async (dryRun: boolean): Promise<void> => {
    if (!uploadId) return;
    setError(null);
    try {
      // The delimiter the analysis used (picked or detected), so the check and the import read the file the same way.
      const { jobId: id } = await call('import.run', { workspace, entity, uploadId, mapping, dryRun, skipBadRows: !dryRun && skipBad, delimiter: analysis?.delimiter ?? delimiter });
      setJobId(id);
      setStep(dryRun ? 2 : 3);
      const status = await waitFor(id, track);
      const finished = useJobsStore.getState().jobs[id];
      if (status === 'completed' && finished) setReport(finished.result as ImportReport);
    } catch (e) {
      setError(errorMessage(e));
    }
  };

  return (
    <Modal opened={opened} onClose={close} title="Import CSV" size="xl" closeOnClickOutside={!busy}>
      <Stepper active={step} size="sm" mb="md">
        <Stepper.Step label="File" description="Choose and upload" />
        <Stepper.Step label="Columns" description="Map to fields" />
        <Stepper.Step label="Check" description="Dry run" />
        <Stepper.Step label="Import" description="Write" />
      </Stepper>
      {error && (
        <Alert color="red" mb="sm" data-testid="import-error">
          {error}
        </Alert>
      )}

      {step === 0 && (
        <Stack>
          <Select label="Import into" data={IMPORTABLE.map((e) => ({ value: e.key, label: e.label }))} value={entity} onChange={(v) => v && setEntity(v)} allowDeselect={false} />
          <ExpectedColumns entity={entity} />
          <FileInput label="CSV file" description="UTF-8 with a header row" placeholder="Choose a .csv file" accept=".csv,text/csv" leftSection={<IconFileTypeCsv size={16} />} value={file} onChange={setFile} clearable />
          <NativeSelect
            label="Delimiter"
            description="What separates the fields; detection handles , ; tab and |"
            data={DELIMITERS}
            value={delimiter}
            onChange={(e) => setDelimiter(e.currentTarget.value as CsvDelimiter | 'auto')}
          />
          {uploaded !== null && <Progress value={uploaded * 100} aria-label="Upload progress" />}
          <Group justify="flex-end">
            <Button onClick={() => void upload()} disabled={!file} loading={uploaded !== null && uploaded < 1}>
              Upload
            </Button>
          </Group>
        </Stack>
      )}

      {step === 1 && analysis && (
        <Stack>
          <Text size="sm" c="dimmed">
            Match each field of {spec.label.toLowerCase()} with a column of the file. Fields marked * are required. Unmapped optional fields stay empty.
          </Text>
          <Text size="sm" data-testid="import-delimiter">
            Fields separated by: {delimiterLabel(analysis.delimiter)}
            {delimiter === 'auto' ? ' (detected)' : ''}
          </Text>
          <ScrollArea h={360}>
            <Table verticalSpacing={4}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Field</Table.Th>
                  <Table.Th>CSV column</Table.Th>
                  <Table.Th>First value</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {spec.columns.map((c) => {
                  const header = mapping[c.name] ?? null;
                  const idx = header ? analysis.headers.indexOf(header) : -1;
                  const missing = missingRequired.includes(c);
                  return (
                    <Table.Tr key={c.name}>
                      <Table.Td>
                        <Text size="sm">
                          {c.label}
                          {c.required && c.name !== 'created_at' ? ' *' : ''}
                        </Text>
                        <Text size="xs" c="dimmed">
                          {c.type === 'enum' ? c.values?.join(' · ') : c.type}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        <Select
                          aria-label={`CSV column for ${c.label}`}
                          size="xs"
                          data={[{ value: NONE, label: '— not imported —' }, ...analysis.headers.map((h) => ({ value: h, label: h }))]}
                          value={header ?? NONE}
                          onChange={(v) => setMapping((m) => ({ ...m, [c.name]: v === NONE || !v ? null : v }))}
                          error={missing ? 'Required' : undefined}
                          allowDeselect={false}
                        />
                      </Table.Td>
                      <Table.Td>
                        <Text size="xs" c="dimmed" lineClamp={1}>
                          {idx >= 0 ? (analysis.sample[0]?.[idx] ?? '') : ''}
                        </Text>
                      </Table.Td>
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          </ScrollArea>
          <Group justify="space-between">
            <Button variant="default" onClick={reset}>
              Start over
            </Button>
            <Button onClick={() => void runJob(true)} disabled={missingRequired.length > 0}>
              Check file
            </Button>
          </Group>
        </Stack>
      )}

      {step >= 2 && (
        <Stack>
          <JobProgress job={job} label={step === 2 ? 'Checking' : 'Importing'} unit="bytes" onCancel={jobId ? () => void cancel(jobId) : undefined} />
          {report && <ReportView report={report} entity={entity} />}
          {step === 2 && report && (
            <Group justify="space-between">
              <Button variant="default" onClick={() => setStep(1)}>
                Back to columns
              </Button>
              <Group>
                {report.badRows > 0 && <Checkbox label={`Skip the ${report.badRows.toLocaleString()} bad rows`} checked={skipBad} onChange={(e) => setSkipBad(e.currentTarget.checked)} />}
                <Button onClick={() => void runJob(false)} disabled={report.validRows === 0 || (report.badRows > 0 && !skipBad)}>
                  Import {report.validRows.toLocaleString()} rows
                </Button>
              </Group>
            </Group>
          )}
          {step === 3 && report && (
            <Group justify="flex-end">
              <Button onClick={close}>Done</Button>
            </Group>
          )}
        </Stack>
      )}
    </Modal>
  );
}

/** Fields a file is matched against, said before the upload, with a header-only template to start from. */
function ExpectedColumns({ entity }: { entity: string }) {
  const spec = getEntity(entity)!;
  const cols = spec.columns.filter((c) => c.type !== 'id' && c.name !== 'created_at');
  const required = cols.filter((c) => c.required);
  const optional = cols.filter((c) => !c.required);
  return (
    <Stack gap={4} data-testid="expected-columns">
      <Text size="sm">
        <Text span fw={600}>
          Required:
        </Text>{' '}
        {required.map((c) => c.label).join(', ') || 'none'}
      </Text>
      <Text size="xs" c="dimmed">
        Optional: {optional.map((c) => c.label).join(', ')}. Headers are matched by name in any case; references take the other record’s id.
      </Text>
      <Group>
        <Button size="compact-xs" variant="subtle" leftSection={<IconDownload size={14} />} onClick={() => downloadText(`${spec.key}-template.csv`, toCsv([cols.map((c) => c.name)]))}>
          Download a template
        </Button>
      </Group>
    </Stack>
  );
}

function ReportView({ report, entity }: { report: ImportReport; entity: string }) {
  const spec = getEntity(entity);
  // People read field labels; the column key stays in the tooltip and the downloaded list.
  const label = (key: string | null): string => (key ? (spec?.columns.find((c) => c.name === key)?.label ?? key) : '—');
  return (
    <Stack gap="xs" data-testid="import-report">
      <Group gap="xs">
        <Badge variant="light">{report.totalRows.toLocaleString()} rows</Badge>
        <Badge variant="light" color="teal">
          {report.validRows.toLocaleString()} valid
        </Badge>
        <Badge variant="light" color={report.badRows ? 'red' : 'gray'}>
          {report.badRows.toLocaleString()} bad
        </Badge>
      </Group>
      <Text size="sm" data-testid="import-summary">
        {report.dryRun
          ? report.badRows
            ? 'Nothing was written. Fix the rows below in the file, or skip them.'
            : 'Every row is valid. Nothing was written yet.'
          : report.committed
            ? `Imported ${report.imported.toLocaleString()} rows${report.skipped ? `, skipped ${report.skipped.toLocaleString()}` : ''}.`
            : 'Nothing was imported.'}
      </Text>
      {report.errors.length > 0 && (
        <ScrollArea h={220}>
          <Table striped verticalSpacing={2} data-testid="import-errors">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Line</Table.Th>
                <Table.Th>Field</Table.Th>
                <Table.Th>Problem</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {report.errors.map((e, i) => (
                <Table.Tr key={`${e.line}-${i}`}>
                  <Table.Td>{e.line}</Table.Td>
                  <Table.Td title={e.column ?? undefined}>{label(e.column)}</Table.Td>
                  <Table.Td>{e.reason}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          {report.badRows > report.errors.length && (
            <Text size="xs" c="dimmed">
              Showing the first {report.errors.length.toLocaleString()} problems.
            </Text>
          )}
        </ScrollArea>
      )}
      {report.errors.length > 0 && (
        <Group>
          <Button
            size="compact-xs"
            variant="subtle"
            leftSection={<IconDownload size={14} />}
            data-testid="download-errors"
            onClick={() => downloadText(`${report.entity}-import-problems.csv`, toCsv([['line', 'field', 'column', 'problem'], ...report.errors.map((e) => [e.line, label(e.column), e.column ?? '', e.reason])]))}
          >
            Download the problems (CSV)
          </Button>
        </Group>
      )}
    </Stack>
  );
}
