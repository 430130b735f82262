import { apiGatewayWidgets, lambdaWidgets, SystemDashboard, type DashboardWidget, type SystemDashboardProps } from './dashboard.js';
import { synth, resourcesOf } from '../../../test/modules/synth-json.js';

const dashboardOf = (props: SystemDashboardProps) => {
  const [d] = resourcesOf(
    synth((s) => new SystemDashboard(s, 'dash', props)),
    'aws_cloudwatch_dashboard',
  );
  return { name: d.dashboard_name as string, body: JSON.parse(d.dashboard_body) };
};
const ALARM = 'arn:aws:cloudwatch:eu-west-1:123456789012:alarm:orders-dlq';
const cpu: DashboardWidget = {
  type: 'metric',
  title: 'CPU',
  metrics: [{ namespace: 'AWS/ECS', metricName: 'CPUUtilization', dimensions: { ClusterName: 'main', ServiceName: 'api' } }],
};

describe('SystemDashboard', () => {
  test('GIVEN a metric widget WHEN synthesized THEN the body shows 3 hours of a half-width time series in the stack region', () => {
    const { name, body } = dashboardOf({ name: 'payments', widgets: [cpu] });
    expect(name).toBe('payments');
    expect(body.start).toBe('-PT3H');
    expect(body.widgets).toEqual([
      {
        type: 'metric',
        x: 0,
        y: 0,
        width: 12,
        height: 6,
        properties: {
          title: 'CPU',
          region: expect.stringMatching(/^\$\{data\.aws_region\..+\.region\}$/),
          view: 'timeSeries',
          stacked: false,
          stat: 'Average',
          period: 60,
          metrics: [['AWS/ECS', 'CPUUtilization', 'ClusterName', 'main', 'ServiceName', 'api']],
        },
      },
    ]);
  });

  test('GIVEN metric options WHEN synthesized THEN view, stat, period, stacking and per-metric stat and label are rendered', () => {
    const { body } = dashboardOf({
      name: 'payments',
      region: 'eu-central-1',
      start: '-P7D',
      widgets: [
        {
          type: 'metric',
          title: 'Requests',
          view: 'bar',
          stat: 'Sum',
          periodSeconds: 300,
          stacked: true,
          metrics: [{ namespace: 'AWS/ApiGateway', metricName: 'Count', stat: 'SampleCount', label: 'requests' }],
        },
      ],
    });
    expect(body.start).toBe('-P7D');
    expect(body.widgets[0].properties).toEqual({
      title: 'Requests',
      region: 'eu-central-1',
      view: 'bar',
      stacked: true,
      stat: 'Sum',
      period: 300,
      metrics: [['AWS/ApiGateway', 'Count', { stat: 'SampleCount', label: 'requests' }]],
    });
  });

  test('GIVEN text, alarm and log widgets WHEN synthesized THEN each renders its own properties', () => {
    const { body } = dashboardOf({
      name: 'payments',
      region: 'eu-west-1',
      widgets: [
        { type: 'text', markdown: '# Payments' },
        { type: 'alarm', title: 'Alarms', alarmArns: [ALARM] },
        { type: 'log', title: 'Errors', logGroupNames: ['/aws/lambda/a', '/aws/lambda/b'], query: 'filter level = "error" | limit 20' },
      ],
    });
    expect(body.widgets.map((w: { properties: unknown }) => w.properties)).toEqual([
      { markdown: '# Payments' },
      { title: 'Alarms', alarms: [ALARM] },
      {
        title: 'Errors',
        region: 'eu-west-1',
        view: 'table',
        query: `SOURCE '/aws/lambda/a' | SOURCE '/aws/lambda/b' | filter level = "error" | limit 20`,
      },
    ]);
  });

  test('GIVEN widgets in reading order WHEN laid out THEN they fill 24-column rows left to right and wrap below the tallest', () => {
    const { body } = dashboardOf({
      name: 'payments',
      widgets: [
        { type: 'text', markdown: '# Payments' },
        { ...cpu, width: 8, height: 4 },
        { ...cpu, width: 8, height: 9 },
        { ...cpu, width: 8 },
        { ...cpu, width: 12 },
        { type: 'alarm', title: 'Alarms', alarmArns: [ALARM], width: 12 },
        { type: 'alarm', title: 'Alarms', alarmArns: [ALARM] },
      ],
    });
    expect(body.widgets.map((w: { x: number; y: number; width: number; height: number }) => [w.x, w.y, w.width, w.height])).toEqual([
      [0, 0, 24, 2],
      [0, 2, 8, 4],
      [8, 2, 8, 9],
      [16, 2, 8, 6],
      [0, 11, 12, 6],
      [12, 11, 12, 6],
      [0, 17, 24, 6],
    ]);
  });

  test('GIVEN a token dimension WHEN synthesized THEN it becomes an interpolation in the body', () => {
    const json = synth((s) => {
      const other = new SystemDashboard(s, 'other', { name: 'other', widgets: [{ type: 'text', markdown: 'x' }] });
      new SystemDashboard(s, 'dash', {
        name: 'payments',
        widgets: [{ ...cpu, metrics: [{ namespace: 'N', metricName: 'M', dimensions: { D: other.name } }] }],
      });
    });
    const dash = resourcesOf(json, 'aws_cloudwatch_dashboard').find((d) => d.dashboard_name === 'payments');
    expect(JSON.parse(dash.dashboard_body).widgets[0].properties.metrics[0][3]).toMatch(
      /^\$\{aws_cloudwatch_dashboard\..+\.dashboard_name\}$/,
    );
  });

  test('GIVEN no widgets and a bad name and start WHEN constructed THEN one error lists each', () => {
    expect(() => synth((s) => new SystemDashboard(s, 'dash', { name: 'pay ments', start: '3 hours', widgets: [] }))).toThrow(
      'SystemDashboard stack/dash: name must be 1-255 letters, digits, - and _ (got "pay ments"); ' +
        'start must be an ISO 8601 duration before now like "-PT3H" or "-P7D" (got "3 hours"); ' +
        'widgets must hold 1-500 widgets (got 0)',
    );
  });

  test('GIVEN bad widgets WHEN constructed THEN one error names each widget by position, the bad value and what is allowed', () => {
    expect(() =>
      synth(
        (s) =>
          new SystemDashboard(s, 'dash', {
            name: 'payments',
            widgets: [
              { type: 'metric', title: '', metrics: [], view: 'line' as never, periodSeconds: 45, width: 30 },
              { type: 'text', markdown: '  ', height: 0 },
              { type: 'alarm', title: 'A', alarmArns: ['orders-dlq'] },
              { type: 'log', title: 'L', logGroupNames: [], query: "SOURCE '/x' | limit 1", view: 'graph' as never },
              { type: 'gauge' } as never,
            ],
          }),
      ),
    ).toThrow(
      'SystemDashboard stack/dash: ' +
        'widgets[0].width must be an integer between 1 and 24 (got 30); ' +
        'widgets[0].title must be 1-255 characters (got ""); ' +
        'widgets[0].metrics must hold 1-500 metrics (got 0); ' +
        'widgets[0].view must be one of "timeSeries", "singleValue", "bar", "pie" (got "line"); ' +
        'widgets[0].periodSeconds must be a multiple of 60 (got 45); ' +
        'widgets[1].height must be an integer between 1 and 1000 (got 0); ' +
        'widgets[1].markdown must not be empty (got "  "); ' +
        'widgets[2].alarmArns must be CloudWatch alarm ARNs (got "orders-dlq"); ' +
        'widgets[3].logGroupNames must hold 1-50 names (got 0); ' +
        `widgets[3].query must be a non-empty Logs Insights query without SOURCE (got "SOURCE '/x' | limit 1"); ` +
        'widgets[3].view must be one of "table", "timeSeries", "bar", "pie" (got "graph"); ' +
        'widgets[4].type must be one of "metric", "text", "alarm", "log" (got "gauge")',
    );
  });
});

describe('widget sets', () => {
  test('GIVEN a REST API WHEN its widgets are drawn THEN requests and errors (sum), then latency p99, rows carry API name and stage', () => {
    const { body } = dashboardOf({ name: 'orders', widgets: apiGatewayWidgets({ name: 'orders-api', stage: 'live' }) });
    expect(body.widgets.map((w: { properties: { title: string; stat: string } }) => [w.properties.title, w.properties.stat])).toEqual([
      ['API requests and errors', 'Sum'],
      ['API latency p99 (ms)', 'p99'],
    ]);
    expect(body.widgets[0].properties.metrics).toEqual([
      ['AWS/ApiGateway', 'Count', 'ApiName', 'orders-api', 'Stage', 'live'],
      ['AWS/ApiGateway', '4XXError', 'ApiName', 'orders-api', 'Stage', 'live'],
      ['AWS/ApiGateway', '5XXError', 'ApiName', 'orders-api', 'Stage', 'live'],
    ]);
  });

  test('GIVEN functions by role WHEN their widgets are drawn THEN errors and duration p99 have a line per function labelled with its role', () => {
    const { body } = dashboardOf({
      name: 'orders',
      widgets: lambdaWidgets({ consumer: { name: 'orders-consumer' }, api: { name: 'orders-api' } }),
    });
    expect(body.widgets.map((w: { properties: { title: string } }) => w.properties.title)).toEqual([
      'Lambda errors',
      'Lambda duration p99 (ms)',
    ]);
    expect(body.widgets[1].properties.metrics).toEqual([
      ['AWS/Lambda', 'Duration', 'FunctionName', 'orders-consumer', { label: 'consumer' }],
      ['AWS/Lambda', 'Duration', 'FunctionName', 'orders-api', { label: 'api' }],
    ]);
  });
});
