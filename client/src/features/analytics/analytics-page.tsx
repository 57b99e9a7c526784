import { useEffect, useId, useState } from 'react';
import { useQuery } from '@apollo/client/react';
import type { Client } from 'graphql-ws';
import type { PeriodFiguresFragment } from '../../__generated__/graphql';
import { apiProblem } from '../../errors';
import { ANALYTICS_CONTEXT, PRACTICE_ANALYTICS } from './analytics.graphql';
import { BookingsByDayChart, LeadTimeChart, UtilizationByDoctorChart } from './analytics-charts';
import { formatChange, formatFigure, KPIS } from './figures';
import { PERIODS, periodRange, type PeriodChoice } from './period';
import { TodayCounters } from './today-counters';

interface AnalyticsPractice {
  readonly id: string;
  readonly name: string;
  readonly timeZone: string;
}

/**
 * The practice manager's morning page (docs/analytics.md): today's live counters, then the
 * figures of a chosen period with their change against the period before, bookings by day,
 * utilization by doctor, how far ahead patients book, and the CSV of the days. For the practice's
 * staff and admins, as the API allows: staff see their own practice, a doctor who administers
 * one sees that one.
 */
export function AnalyticsPage({ wsClient, token }: { wsClient: Client; token: () => string | null }) {
  const context = useQuery(ANALYTICS_CONTEXT);
  const me = context.data?.me;
  const practice: AnalyticsPractice | undefined = me?.staff?.practice ?? me?.adminOf[0];
  useEffect(() => {
    document.title = 'Analytics · CareLine';
    return () => {
      document.title = 'CareLine';
    };
  }, []);
  if (context.loading && !context.data) return <p role="status">Loading…</p>;
  if (!practice)
    return (
      <p role="alert" className="error">
        Only a practice&apos;s staff and admins can see its analytics.
      </p>
    );
  return (
    <div className="analytics">
      <h1>Analytics · {practice.name}</h1>
      <TodayPanel wsClient={wsClient} practice={practice} />
      <PeriodPanel practice={practice} token={token} />
    </div>
  );
}

function TodayPanel({ wsClient, practice }: { wsClient: Client; practice: AnalyticsPractice }) {
  return (
    <section className="panel" aria-labelledby="today-title" data-testid="today-board">
      <TodayCounters wsClient={wsClient} practiceId={practice.id} timeZone={practice.timeZone} headingId="today-title" />
    </section>
  );
}

function PeriodPanel({ practice, token }: { practice: AnalyticsPractice; token: () => string | null }) {
  const [period, setPeriod] = useState<PeriodChoice>(PERIODS[1]!);
  // Computed once per choice: a re-render must not move the range (and refetch) as the clock ticks.
  const [range, setRange] = useState(() => periodRange(period, practice.timeZone));
  const choose = (choice: PeriodChoice) => {
    setPeriod(choice);
    setRange(periodRange(choice, practice.timeZone));
  };
  const analytics = useQuery(PRACTICE_ANALYTICS, {
    variables: { practiceId: practice.id, ...range },
    fetchPolicy: 'network-only',
  });
  const figures = analytics.data?.practiceAnalytics;
  const selectId = useId();
  return (
    <section className="panel" aria-labelledby="period-title" data-testid="period" data-from={range.from} data-to={range.to}>
      <div className="toolbar">
        <h2 id="period-title">{period.label}</h2>
        <label htmlFor={selectId}>Period</label>
        <select
          id={selectId}
          value={period.key}
          onChange={(event) => choose(PERIODS.find((p) => p.key === event.target.value) ?? PERIODS[1]!)}
        >
          {PERIODS.map((choice) => (
            <option key={choice.key} value={choice.key}>
              {choice.label}
            </option>
          ))}
        </select>
        <CsvDownload practiceId={practice.id} range={range} token={token} />
      </div>
      {analytics.loading && <p role="status">Loading the figures…</p>}
      {analytics.error && (
        <p role="alert" className="error">
          {apiProblem(analytics.error).message}
        </p>
      )}
      {figures && (
        <>
          <Kpis figures={figures} previous={figures.previous ?? null} days={period.days} />
          <h3>Bookings by day</h3>
          <BookingsByDayChart days={figures.byDay} />
          <h3>Utilization by doctor</h3>
          <UtilizationByDoctorChart doctors={figures.byDoctor} />
          <h3>How far ahead patients book</h3>
          <LeadTimeChart buckets={figures.leadTimes} />
        </>
      )}
    </section>
  );
}

function Kpis({ figures, previous, days }: { figures: PeriodFiguresFragment; previous: PeriodFiguresFragment | null; days: number }) {
  return (
    <dl className="kpis" data-testid="kpis">
      {KPIS.map((kpi) => {
        const change = formatChange(figures[kpi.key], previous?.[kpi.key], kpi.kind);
        return (
          <div key={kpi.key} className="kpi" data-kpi={kpi.key}>
            <dt>{kpi.label}</dt>
            <dd className="kpi__value">{formatFigure(figures[kpi.key], kpi.kind)}</dd>
            <dd className="kpi__hint muted small">{kpi.hint}</dd>
            <dd className="kpi__change small">{change ? `${change} on the previous ${days} days` : 'nothing to compare'}</dd>
          </div>
        );
      })}
    </dl>
  );
}

/**
 * The byDay table as CSV: the export needs the bearer token (no cookie), so the file is fetched
 * and handed to the browser as a download rather than linked.
 */
function CsvDownload({
  practiceId,
  range,
  token,
}: {
  practiceId: string;
  range: { from: string; to: string };
  token: () => string | null;
}) {
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const download = async () => {
    setProblem(null);
    setBusy(true);
    try {
      const query = new URLSearchParams({ practiceId, from: range.from, to: range.to });
      const current = token();
      const response = await fetch(`/analytics/export.csv?${query.toString()}`, {
        headers: current ? { authorization: `Bearer ${current}` } : {},
      });
      if (!response.ok) {
        setProblem(`The export failed (HTTP ${response.status}).`);
        return;
      }
      const url = URL.createObjectURL(await response.blob());
      const link = document.createElement('a');
      link.href = url;
      link.download = `careline-analytics-${range.from.slice(0, 10)}-${range.to.slice(0, 10)}.csv`;
      link.click();
      // After the click has started the download.
      setTimeout(() => URL.revokeObjectURL(url), 0);
    } catch {
      setProblem('The export failed: the server could not be reached.');
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <button type="button" className="secondary" onClick={() => void download()} disabled={busy}>
        Download CSV
      </button>
      {problem && (
        <p role="alert" className="error">
          {problem}
        </p>
      )}
    </>
  );
}
