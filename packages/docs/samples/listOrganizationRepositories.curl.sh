# X-Hits in the answer's headers gives the total (capped at 1000).
curl -i -H "Authorization: Bearer $SENTRY_TOKEN" \
  "https://sentry.io/api/0/organizations/acme/repos/?status=active&per_page=100"
