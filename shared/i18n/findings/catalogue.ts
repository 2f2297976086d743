/** The shape of a findings catalogue other than English: nested keys, strings at the leaves (plural suffixes vary by language). */
export interface FindingCatalogue {
  [key: string]: string | FindingCatalogue;
}
