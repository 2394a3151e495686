// AppSync defines these scalars and directives implicitly: user schemas use them without declaring them (and may
// not declare them), so the engine prepends these definitions before building the schema.

/** `scalar AWSxxx` definitions for the nine AppSync scalars, described for introspection. */
export const AWS_SCALAR_SDL = `
"An extended ISO 8601 date, YYYY-MM-DD, with an optional time zone offset."
scalar AWSDate

"An extended ISO 8601 time, hh:mm[:ss[.fraction]], with an optional time zone offset."
scalar AWSTime

"An extended ISO 8601 date and time, YYYY-MM-DDThh:mm[:ss[.fraction]], with a required time zone offset."
scalar AWSDateTime

"A number of seconds before or after 1970-01-01T00:00Z."
scalar AWSTimestamp

"An email address of the form local-part@domain-part."
scalar AWSEmail

"A JSON document sent as a string; resolvers receive it parsed."
scalar AWSJSON

"A URL with a scheme, such as https: or mailto:."
scalar AWSURL

"A phone number; digit groups may be separated by spaces or hyphens, and numbers without a country code are taken as North American."
scalar AWSPhone

"An IPv4 or IPv6 address, optionally with a CIDR prefix length."
scalar AWSIPAddress
`;

/** AppSync's subscription and authorization directives. */
export const AWS_DIRECTIVE_SDL = `
"The subscription field fires when one of the listed Mutation fields completes."
directive @aws_subscribe(mutations: [String!]!) on FIELD_DEFINITION

"Allows the API_KEY authorization mode."
directive @aws_api_key on OBJECT | FIELD_DEFINITION

"Allows the AWS_IAM authorization mode."
directive @aws_iam on OBJECT | FIELD_DEFINITION

"Allows the OPENID_CONNECT authorization mode."
directive @aws_oidc on OBJECT | FIELD_DEFINITION

"Allows the AWS_LAMBDA authorization mode."
directive @aws_lambda on OBJECT | FIELD_DEFINITION

"Allows the AMAZON_COGNITO_USER_POOLS authorization mode, optionally only for members of the listed groups."
directive @aws_cognito_user_pools(cognito_groups: [String!]) on OBJECT | FIELD_DEFINITION

"Legacy group check for APIs whose default authorization mode is AMAZON_COGNITO_USER_POOLS."
directive @aws_auth(cognito_groups: [String!]!) on FIELD_DEFINITION
`;
