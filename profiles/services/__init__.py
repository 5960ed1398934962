"""What users do to profiles, one function per action, each the whole job in one transaction.

- `editing`: save the browser editor; refuse a stale save (revisions); record who did what.
- `lifecycle`: start a working draft, submit, return, approve (publish), archive, discard,
  restore an old version.
- `copying`: one snapshot -> apply path that copying, working drafts, publishing and
  restoring all use; `create_from_draft` makes a new profile from a ProfileDraft.

Views parse the request and call these; forms only validate; who may do what is asked of
profiles.access, and the rules of profiles.rules.
"""
