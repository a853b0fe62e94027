/** oasdiff's three levels: `error` is a breaking change, `warning` may break some clients, `info` does not break. */
export type ChangeLevel = 'error' | 'warning' | 'info';

interface ContractRule {
  level: ChangeLevel;
  /** What makes the rule fire, for docs/api-contract-rules.md. */
  trigger: string;
}

/**
 * The rules we implement, with oasdiff's ids and default levels (oasdiff `checker/rules.go`,
 * messages in `checker/localizations_src/en/messages.yaml`). The diff finds *what* changed; this
 * table alone decides how much it matters, so a level is changed here and nowhere else.
 */
export const CONTRACT_RULES = {
  'endpoint-added': { level: 'info', trigger: 'an operation exists in `to` and not in `from`' },
  'api-path-removed-without-deprecation': { level: 'error', trigger: 'a whole path is gone; reported per operation that was not `deprecated`' },
  'api-path-removed-with-deprecation': { level: 'info', trigger: 'a whole path is gone; the operation was `deprecated` and had no `x-sunset`' },
  'api-path-removed-before-sunset': { level: 'error', trigger: 'a whole path is gone; the operation was `deprecated` with an `x-sunset` still in the future' },
  'api-path-sunset-parse': { level: 'error', trigger: 'a deprecated operation was removed (alone or with its path) and its `x-sunset` is not a date' },
  'api-removed-without-deprecation': { level: 'error', trigger: 'an operation is gone while its path stays; it was not `deprecated`' },
  'api-removed-with-deprecation': { level: 'info', trigger: 'an operation is gone while its path stays; it was `deprecated` and had no `x-sunset`' },
  'api-removed-before-sunset': { level: 'error', trigger: 'an operation is gone while its path stays; its `x-sunset` is still in the future' },

  'new-required-request-parameter': { level: 'error', trigger: 'an operation gained a required query, header or cookie parameter' },
  'new-optional-request-parameter': { level: 'info', trigger: 'an operation gained an optional query, header or cookie parameter' },
  'new-request-path-parameter': { level: 'error', trigger: 'an operation gained a path parameter' },
  'new-required-request-default-parameter-to-existing-path': { level: 'error', trigger: 'a path item gained a required parameter shared by its operations (reported per operation)' },
  'new-optional-request-default-parameter-to-existing-path': { level: 'info', trigger: 'a path item gained an optional parameter shared by its operations (reported per operation)' },
  'request-parameter-removed': { level: 'warning', trigger: 'a parameter that was not `deprecated` is gone' },
  'request-parameter-removed-with-deprecation': { level: 'info', trigger: 'a `deprecated` parameter without `x-sunset` is gone' },
  'request-parameter-removed-before-sunset': { level: 'error', trigger: 'a `deprecated` parameter is gone before its `x-sunset`' },
  'request-parameter-sunset-parse': { level: 'error', trigger: 'a `deprecated` parameter is gone and its `x-sunset` is not a date' },
  'request-parameter-became-required': { level: 'error', trigger: 'an optional parameter became `required`' },
  'request-parameter-became-optional': { level: 'info', trigger: 'a required parameter became optional' },
  'request-parameter-type-changed': { level: 'error', trigger: "a parameter's schema type/format changed other than by widening" },
  'request-parameter-type-generalized': { level: 'info', trigger: "a parameter's schema type/format widened (integer → number, a type added, a format dropped)" },
  'request-parameter-became-nullable': { level: 'info', trigger: "a parameter's schema now accepts null" },
  'request-parameter-became-not-nullable': { level: 'error', trigger: "a parameter's schema no longer accepts null" },
  'request-parameter-became-enum': { level: 'error', trigger: "a parameter's schema gained an `enum`" },
  'request-parameter-enum-value-removed': { level: 'error', trigger: "a value left a parameter's `enum`" },
  'request-parameter-enum-value-added': { level: 'info', trigger: "a value joined a parameter's `enum`" },

  'request-body-added-required': { level: 'error', trigger: 'an operation gained a required request body' },
  'request-body-added-optional': { level: 'info', trigger: 'an operation gained an optional request body' },
  'request-body-removed': { level: 'error', trigger: "an operation's request body is gone" },
  'request-body-became-required': { level: 'error', trigger: 'an optional request body became `required`' },
  'request-body-became-optional': { level: 'info', trigger: 'a required request body became optional' },
  'request-body-media-type-added': { level: 'info', trigger: 'the request body accepts a new media type' },
  'request-body-media-type-removed': { level: 'error', trigger: 'the request body no longer accepts a media type' },
  'request-body-type-changed': { level: 'error', trigger: "the request body schema's type/format changed other than by widening" },
  'request-body-type-generalized': { level: 'info', trigger: "the request body schema's type/format widened" },
  'request-body-became-nullable': { level: 'info', trigger: 'the request body schema now accepts null' },
  'request-body-became-not-nullable': { level: 'error', trigger: 'the request body schema no longer accepts null' },
  'request-body-became-enum': { level: 'error', trigger: 'the request body schema gained an `enum`' },
  'request-body-enum-value-removed': { level: 'error', trigger: "a value left the request body schema's `enum`" },

  'new-required-request-property': { level: 'error', trigger: 'the request body gained a property that is `required` (readOnly properties are skipped)' },
  'new-optional-request-property': { level: 'info', trigger: 'the request body gained an optional property' },
  'request-property-removed': { level: 'warning', trigger: 'a request body property is gone' },
  'request-property-became-required': { level: 'error', trigger: 'an existing request property joined `required` (readOnly properties are skipped)' },
  'request-property-became-optional': { level: 'info', trigger: 'a request property left `required`' },
  'request-property-type-changed': { level: 'error', trigger: "a request property's type/format changed other than by widening" },
  'request-property-type-generalized': { level: 'info', trigger: "a request property's type/format widened" },
  'request-property-became-nullable': { level: 'info', trigger: 'a request property now accepts null' },
  'request-property-became-not-nullable': { level: 'error', trigger: 'a request property no longer accepts null' },
  'request-property-became-enum': { level: 'error', trigger: 'a request property gained an `enum`' },
  'request-property-enum-value-removed': { level: 'error', trigger: "a value left a request property's `enum`" },
  'request-property-enum-value-added': { level: 'info', trigger: "a value joined a request property's `enum`" },

  'response-success-status-removed': { level: 'error', trigger: 'a 2xx response status is gone' },
  'response-success-status-added': { level: 'info', trigger: 'a 2xx response status was added' },
  'response-non-success-status-removed': { level: 'info', trigger: 'a non-2xx (or `default`) response status is gone' },
  'response-non-success-status-added': { level: 'info', trigger: 'a non-2xx (or `default`) response status was added' },
  'response-media-type-removed': { level: 'error', trigger: 'a response no longer offers a media type' },
  'response-media-type-added': { level: 'info', trigger: 'a response offers a new media type' },
  'response-body-type-changed': { level: 'error', trigger: "a response body schema's type/format changed incomparably" },
  'response-body-type-generalized': { level: 'error', trigger: "a response body schema's type/format widened" },
  'response-body-type-specialized': { level: 'info', trigger: "a response body schema's type/format narrowed" },
  'response-body-became-nullable': { level: 'error', trigger: 'a response body schema may now be null' },
  'response-body-became-not-nullable': { level: 'info', trigger: 'a response body schema is no longer nullable' },
  'response-mediatype-enum-value-removed': { level: 'info', trigger: "a value left a response body schema's `enum`" },
  'response-required-property-removed': { level: 'error', trigger: 'a required response property is gone (writeOnly properties are skipped)' },
  'response-optional-property-removed': { level: 'info', trigger: 'an optional response property is gone' },
  'response-required-property-added': { level: 'info', trigger: 'a response gained a required property' },
  'response-optional-property-added': { level: 'info', trigger: 'a response gained an optional property' },
  'response-property-became-optional': { level: 'error', trigger: 'a response property left `required` (writeOnly properties are skipped)' },
  'response-property-became-required': { level: 'info', trigger: 'an existing response property joined `required`' },
  'response-property-type-changed': { level: 'error', trigger: "a response property's type/format changed incomparably" },
  'response-property-type-generalized': { level: 'error', trigger: "a response property's type/format widened (number where integer was promised)" },
  'response-property-type-specialized': { level: 'info', trigger: "a response property's type/format narrowed" },
  'response-property-became-nullable': { level: 'error', trigger: 'a response property may now be null' },
  'response-property-became-not-nullable': { level: 'info', trigger: 'a response property is no longer nullable' },
  'response-property-enum-value-added': { level: 'warning', trigger: "a value joined a response property's `enum`: clients may not handle it" },
  'response-property-enum-value-removed': { level: 'info', trigger: "a value left a response property's `enum`" },

  'api-security-removed': { level: 'error', trigger: "a security requirement left an operation's `security` alternatives" },
  'api-security-added': { level: 'info', trigger: "a security requirement joined an operation's `security` alternatives" },
  'api-security-scope-added': { level: 'error', trigger: "a scope was added to one of an operation's security requirements" },
  'api-security-scope-removed': { level: 'info', trigger: "a scope was removed from one of an operation's security requirements" },
  'api-global-security-removed': { level: 'error', trigger: 'a security requirement left the document-wide `security`' },
  'api-global-security-added': { level: 'info', trigger: 'a security requirement joined the document-wide `security`' },
  'api-global-security-scope-added': { level: 'error', trigger: 'a scope was added to a document-wide security requirement' },
  'api-global-security-scope-removed': { level: 'info', trigger: 'a scope was removed from a document-wide security requirement' },
} as const satisfies Record<string, ContractRule>;

export type ContractRuleId = keyof typeof CONTRACT_RULES;
