/**
 * A Drain template miner, written from the algorithm's description (He et al., "Drain: An Online Log
 * Parsing Approach with Fixed Depth Tree", ICWS 2017; defaults as in logpai/Drain3 — see
 * shared/docs/REFERENCE.md, "Error grouping"):
 *
 *  - messages are masked (normalizeMessage) and split on whitespace;
 *  - a fixed-depth tree routes a message: first by its token count, then by its leading tokens, one tree
 *    level per token for `depth - 2` levels; a token containing a digit goes to the wildcard child `<*>`,
 *    and so does any new token once a node has `maxChildren` children;
 *  - at the leaf, the most similar template wins — similarity is the share of positions where the template
 *    token equals the message token (wildcards do not count), ties going to the template with more
 *    wildcards — if it reaches `simTh`; otherwise the message starts a new template;
 *  - on a match, positions where template and message differ become `<*>`.
 */
import { normalizeMessage } from './normalize';

export const WILDCARD = '<*>';

export interface DrainOptions {
  depth?: number;
  simTh?: number;
  maxChildren?: number;
  /** Upper bound on templates kept; past it new messages join the most similar template at any similarity. */
  maxClusters?: number;
  /** Skip masking (the input is already normalised). */
  premasked?: boolean;
}

export interface DrainCluster {
  id: number;
  tokens: string[];
  size: number;
}

interface Node {
  children: Map<string, Node>;
  clusters: DrainCluster[];
}

const hasDigit = (t: string) => /\d/.test(t);

export class Drain {
  private readonly root: Node = { children: new Map(), clusters: [] };
  private readonly depth: number;
  private readonly simTh: number;
  private readonly maxChildren: number;
  private readonly maxClusters: number;
  private readonly premasked: boolean;
  readonly clusters: DrainCluster[] = [];

  constructor(options: DrainOptions = {}) {
    this.depth = Math.max(3, options.depth ?? 4);
    this.simTh = options.simTh ?? 0.4;
    this.maxChildren = Math.max(2, options.maxChildren ?? 100);
    this.maxClusters = options.maxClusters ?? 100_000;
    this.premasked = options.premasked ?? false;
  }

  static tokenize(masked: string): string[] {
    const t = masked.trim();
    return t === '' ? [] : t.split(/\s+/);
  }

  /** Adds a message; returns its cluster (new or updated). */
  add(message: string): DrainCluster {
    const tokens = Drain.tokenize(this.premasked ? message : normalizeMessage(message));
    const leaf = this.leafFor(tokens);
    const match = this.bestMatch(leaf.clusters, tokens, this.clusters.length >= this.maxClusters ? 0 : this.simTh);
    if (match) {
      for (let i = 0; i < tokens.length; i++) if (match.tokens[i] !== tokens[i]) match.tokens[i] = WILDCARD;
      match.size++;
      return match;
    }
    const cluster: DrainCluster = { id: this.clusters.length + 1, tokens: tokens.slice(), size: 1 };
    this.clusters.push(cluster);
    leaf.clusters.push(cluster);
    return cluster;
  }

  /** The template a message would match, without learning from it. */
  match(message: string): DrainCluster | undefined {
    const tokens = Drain.tokenize(this.premasked ? message : normalizeMessage(message));
    const lengthNode = this.root.children.get(String(tokens.length));
    if (!lengthNode) return undefined;
    let node: Node | undefined = lengthNode;
    for (let level = 0; level < Math.min(this.depth - 2, tokens.length) && node; level++) {
      node = node.children.get(tokens[level]!) ?? node.children.get(WILDCARD);
    }
    return node ? this.bestMatch(node.clusters, tokens, this.simTh) : undefined;
  }

  private leafFor(tokens: string[]): Node {
    const key = String(tokens.length);
    let node: Node | undefined = this.root.children.get(key);
    if (!node) {
      node = { children: new Map(), clusters: [] };
      this.root.children.set(key, node);
    }
    const levels = Math.min(this.depth - 2, tokens.length);
    for (let level = 0; level < levels; level++) {
      const token = tokens[level]!;
      let next: Node | undefined = node.children.get(token);
      if (!next) {
        let key2 = token;
        if (hasDigit(token) || token === WILDCARD) key2 = WILDCARD;
        else if (node.children.size + (node.children.has(WILDCARD) ? 0 : 1) >= this.maxChildren) key2 = WILDCARD;
        next = node.children.get(key2);
        if (!next) {
          next = { children: new Map(), clusters: [] };
          node.children.set(key2, next);
        }
      }
      node = next;
    }
    return node;
  }

  private bestMatch(clusters: DrainCluster[], tokens: string[], threshold: number): DrainCluster | undefined {
    let best: DrainCluster | undefined;
    let bestSim = -1;
    let bestParams = -1;
    for (const c of clusters) {
      if (c.tokens.length !== tokens.length) continue;
      let same = 0;
      let params = 0;
      for (let i = 0; i < tokens.length; i++) {
        const t = c.tokens[i]!;
        if (t === WILDCARD) params++;
        else if (t === tokens[i]) same++;
      }
      const sim = tokens.length === 0 ? 1 : same / tokens.length;
      if (sim > bestSim || (sim === bestSim && params > bestParams)) {
        best = c;
        bestSim = sim;
        bestParams = params;
      }
    }
    return best && bestSim >= threshold ? best : undefined;
  }

  static template(c: DrainCluster): string {
    return c.tokens.join(' ');
  }
}
