package deliver

// SlackText renders the plain text of the view as a Slack channel sends it.
func (t *Templates) SlackText(v View) (string, error) { return t.slackText(v) }

// PlainView returns the view as the templates see it: its texts escaped.
func PlainView(v View) View { return plainView(v) }
