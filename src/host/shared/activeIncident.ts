import * as vscode from 'vscode';
import type { Incident } from '../../core/incident/types';
import type { IncidentRepository } from './incidentRepository';

const STATE_KEY = 'incidentWorkbench.activeIncident';

/**
 * "The incident I am working on": kept per workspace (workspaceState), shown in the status bar, and read by
 * other features (profiling, errors, rollback) through `deps.activeIncident.id` to know where evidence
 * goes. Activation only reads the memento (in memory); the incident's title is looked up lazily.
 */
export class ActiveIncident implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<string | undefined>();
  readonly onDidChange = this.changed.event;
  private readonly item = vscode.window.createStatusBarItem('incidentWorkbench.activeIncident', vscode.StatusBarAlignment.Left, 50);
  private readonly disposables: vscode.Disposable[] = [this.changed, this.item];

  constructor(
    private readonly memento: vscode.Memento,
    private readonly repository: IncidentRepository,
  ) {
    this.item.name = 'Active Incident';
    this.item.command = 'incidentWorkbench.setActiveIncident';
    this.disposables.push(repository.onDidChange(() => void this.render()));
    this.paint(undefined);
    // The title and status need .incidents/: read once the window has settled, not on the activation path.
    if (this.id) {
      const timer = setTimeout(() => void this.render(), 1000);
      this.disposables.push({ dispose: () => clearTimeout(timer) });
    }
  }

  /** The active incident's id, or undefined when none is set. */
  get id(): string | undefined {
    const v = this.memento.get<string>(STATE_KEY);
    return typeof v === 'string' && v ? v : undefined;
  }

  async set(id: string | undefined): Promise<void> {
    await this.memento.update(STATE_KEY, id);
    this.changed.fire(id);
    await this.render();
  }

  private paint(incident: Incident | undefined, missing = false): void {
    const id = this.id;
    if (!id) {
      this.item.hide();
      return;
    }
    const icon = incident?.severity === 'CRITICAL' ? '$(flame)' : incident?.severity === 'HIGH' ? '$(warning)' : '$(pulse)';
    this.item.text = `${icon} ${id}${incident ? ` ${incident.status}` : ''}`;
    this.item.tooltip = missing
      ? `Active incident ${id} no longer exists in .incidents/. Click to pick another.`
      : `Active incident: ${id}${incident ? ` — ${incident.title} (${incident.severity}, ${incident.status})` : ''}\nEvidence from profiles, error clusters and rollbacks is attached here. Click to change.`;
    this.item.backgroundColor = missing ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    this.item.show();
  }

  private async render(): Promise<void> {
    const id = this.id;
    if (!id) return this.paint(undefined);
    try {
      const entry = (await this.repository.list()).find((e) => e.id === id);
      this.paint(entry?.state === 'valid' ? entry.value : undefined, !entry);
    } catch {
      this.paint(undefined);
    }
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
