// Before any load: one authenticated GET of the first business, and a plain
// reading of what its answer means. Pure: the glue makes the request.

export interface ProbeAnswer {
  status: number;
  error: string;
  body: string;
}

/** null when the target is ready; else the problem and its fix. */
export function preflightProblem(a: ProbeAnswer, target: string, dataFile: string): string | null {
  const head = `party-perf: preflight against ${target} failed, no load was sent:`;
  if (a.status === 200) return null;
  if (a.status === 0) {
    return `${head} the target does not answer (${a.error || 'no response'}). Start it (npm run target), or set BASE_URL to a running party service. PREFLIGHT=false skips this check.`;
  }
  if (a.status === 401) return `${head} the credentials were rejected (401). Set PARTY_USER and PARTY_PASSWORD to the service's SECURITY_USER_NAME / SECURITY_USER_PASSWORD.`;
  if (a.status === 404) {
    return `${head} the first business of ${dataFile} is not on this target (404). Seed the target (npm run seed) or set DATA_FILE to the CSV written when it was seeded.`;
  }
  if (a.status === 400 && /active attributes/.test(a.body)) {
    return `${head} the businesses are not linked to a collection exercise yet (400 "does not have any active attributes"). Link them: PUT /party-api/v1/businesses/sample/link/<sampleSummaryId> (npm run seed does this).`;
  }
  return `${head} expected 200 for the first business, got ${a.status}: ${a.body.slice(0, 200)}`;
}
