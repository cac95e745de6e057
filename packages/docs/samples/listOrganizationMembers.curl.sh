# Repeat with the cursor of rel="next" from the Link header while its results="true".
curl -i -H "Authorization: Bearer $SENTRY_TOKEN" \
  "https://sentry.io/api/0/organizations/acme/members/?per_page=100&query=role:owner"
