import { describe, expect, it } from "vitest";
import { slackMessage } from "./slack-message";

const alert = {
  id: "al1",
  title: "Error rate of fraud <v2> & co",
  severity: "critical",
  signal: "error_rate",
  message: "5xx answers rose",
  value: 0.0512,
  threshold: 0.02,
  chartUrl: "/monitoring/fraud?from=a&to=b",
};

describe("slackMessage", () => {
  it("says what fired, how far past its threshold, with links into the dashboard and Slack's characters escaped", () => {
    expect(slackMessage({ event: "alert.opened", alert }, "https://ferry.example/").text).toBe(
      [
        ":rotating_light: *[critical] Error rate of fraud &lt;v2&gt; &amp; co*",
        "5xx answers rose",
        "5.12 % against a threshold of 2 %",
        "<https://ferry.example/alerts/al1|Open the alert> · <https://ferry.example/monitoring/fraud?from=a&to=b|the chart as it fired>",
      ].join("\n"),
    );
  });

  it("heads resolved and escalated alerts by what happened; reads latency in ms and leaves out what is missing", () => {
    const latency = { id: "al2", title: "p95 of demo", severity: "warn", signal: "latency", value: 512.4, threshold: 250 };
    expect(slackMessage({ event: "alert.resolved", alert: latency }, "http://h:3000").text).toBe(
      ":white_check_mark: *Resolved: p95 of demo*\n512 ms against a threshold of 250 ms\n<http://h:3000/alerts/al2|Open the alert>",
    );
    expect(slackMessage({ event: "alert.escalated", alert: { ...latency, value: null } }, "http://h:3000").text.split("\n")[0]).toBe(
      ":arrow_double_up: *Escalated to warn: p95 of demo*",
    );
  });

  it("answers a test event with a line that names the hook", () => {
    expect(slackMessage({ event: "webhook.test", webhook: { name: "ops <room>" } }, "http://h:3000").text).toBe(
      "Test message from <http://h:3000|Ferry>: alerts for this webhook (ops &lt;room&gt;) will arrive here.",
    );
  });
});
