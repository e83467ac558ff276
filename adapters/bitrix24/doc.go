// Package bitrix24 reads CRM data from the Bitrix24 REST API (v1) and turns it
// into goalkit events (kpi.Event) and an org structure (a org.Directory).
// Bitrix24 has no goals or KPI methods; goalkit computes them from the deals,
// leads, activities and stage history this package reads.
//
// It is its own Go module and uses only the standard library besides the
// goalkit core.
//
// # Client
//
// New makes a Client from an Auth: an incoming webhook URL
// (https://PORTAL/rest/USER_ID/CODE/, see Webhook) or an OAuth token with a
// refresh callback (OAuth). The webhook code and the tokens are secrets: they
// never appear in an error, a log line (WithLogger) or a printed value.
//
// A Client offers what a host needs of the portal: its events (Events,
// Sync), its org structure (Directory), and a few actions back into it
// (NotifyUser, Actions). To make them it reads
// crm.deal.list, crm.lead.list, crm.activity.list, crm.stagehistory.list,
// crm.status.list, crm.category.list, user.get and department.get, several
// lists at once in batch calls (up to 50 commands) where it can; the rows of
// these methods are the package's own business and never reach a host. Lists
// are read 50 rows a page, with keyset paging by default (start=-1, order by
// ID, filter ">ID" on the last ID seen, the way the docs recommend for large
// exports) or offset paging (start, next, total): see SyncOptions.Paging.
//
// Requests are paced (WithMinInterval, 2 a second by default, the rate at
// which the portal's leaky bucket drains). A call refused with
// QUERY_LIMIT_EXCEEDED (HTTP 503) or OPERATION_TIME_LIMIT (HTTP 429), or
// answered 429 or 503 without a Bitrix24 error (a proxy's or a load
// balancer's page: both statuses say the request was not taken), is
// repeated after a growing delay (WithRetries, WithBackoff), longer if the
// portal sent Retry-After or, for the operating limit, reported when the
// method's limit resets (an instant the portal gives is counted on its own
// clock, from its answer's Date or time.start, so that a client's clock
// apart from the portal's does not change the wait); once the retries
// are used up, or when the wait would run past the context's deadline,
// the call returns the *APIError, which says the wait the last answer
// asked for (RetryAfter), for a caller that tries again later. An expired OAuth
// token is refreshed once. Each attempt
// is bounded by WithTimeout and by the caller's context. A portal that moved
// (HTTP 301/302/307/308) is followed with the same POST body, as the official
// SDK does: the webhook secret or token goes to the new address, never from
// https to http, nor to http:// on another machine (as New refuses). The clock and the sleep are injectable (WithClock, WithSleep).
//
// Errors are typed. An answer of the portal with an error is an *APIError
// (HTTP status, code, description); a body that cannot be decoded (truncated,
// not JSON, unexpected shape) is a *DecodeError. Both match sentinels for
// errors.Is: ErrAuth, ErrTokenExpired, ErrAccessDenied, ErrRateLimited,
// ErrNotFound, ErrInvalidRequest, ErrServer, ErrMalformed; also ErrTimeout.
// The error of a failed command inside a batch call is an *APIError that
// names the command. CRM method errors come with an empty code and HTTP 400,
// and are classified by their description ("Access denied.", "Not found",
// "Parameter 'filter' must be array.").
//
// # Events
//
// Events (or Sync, which streams) reads the portal and returns events with
// deterministic ids, so that a later sync sends the same id again to correct
// an event (a later line with the same id replaces the earlier one) or a
// retraction (Deleted) to take it back, and never a duplicate:
//
//	event id              kind            time                             actor           amount, currency
//	b24:deal:N:created    deal.created    DATE_CREATE                      ASSIGNED_BY_ID  OPPORTUNITY, CURRENCY_ID
//	b24:deal:N:won        deal.won        last move into a success stage   ASSIGNED_BY_ID  OPPORTUNITY, CURRENCY_ID
//	b24:deal:N:lost       deal.lost       last move into a failure stage   ASSIGNED_BY_ID  OPPORTUNITY, CURRENCY_ID
//	b24:lead:N:created    lead.created    DATE_CREATE                      ASSIGNED_BY_ID  OPPORTUNITY, CURRENCY_ID
//	b24:lead:N:converted  lead.converted  last move into a success status  ASSIGNED_BY_ID  OPPORTUNITY, CURRENCY_ID
//	b24:lead:N:junk       lead.junk       last move into a failure status  ASSIGNED_BY_ID  OPPORTUNITY, CURRENCY_ID
//	b24:activity:N        call            START_TIME                       RESPONSIBLE_ID  none
//	b24:activity:N        meeting         START_TIME                       RESPONSIBLE_ID  none
//	b24:activity:N        email           START_TIME                       RESPONSIBLE_ID  none
//
// The rules behind the table:
//
//	deal.won, deal.lost    Only if the deal is in that state now: STAGE_SEMANTIC_ID S (won) or F (lost),
//	                       never the stage id (pipelines have their own stages, C1:WON, and several
//	                       failure stages, LOSE and APOLOGY). Dated by the stage history: the last row
//	                       that entered the current semantic from another one, so a deal won, reopened
//	                       and won again counts once, at its last win. Without usable history for the
//	                       deal (SkipHistory, no rows, or rows that do not end in the current state):
//	                       MOVED_TIME, else the CLOSEDATE calendar date at midnight in
//	                       SyncOptions.Location, else DATE_MODIFY.
//	retractions            A deal not won now whose history shows it was won gets a Deleted event for
//	                       b24:deal:N:won (a reopened deal stops counting, even in a closed month);
//	                       likewise for lost, converted and junk. In an incremental sync an item
//	                       without history rows gets the retractions too, since it cannot be told
//	                       whether it had the outcome before; so does an item with new history rows
//	                       that the list no longer returns (deleted): all its events.
//	deletions              The list methods return only the items that exist, and the portal tells
//	                       deletions only as outbound events (ONCRMDEALDELETE, ONCRMLEADDELETE,
//	                       ONCRMACTIVITYDELETE) posted to an application's handler, which a sync
//	                       over an incoming webhook never receives. So an incremental sync alone
//	                       retracts a deleted deal or lead only when it has stage-history rows past
//	                       the watermark (above; created since the date for ModifiedSince); one
//	                       deleted without a move since, and every
//	                       deleted activity, keeps its events. SyncOptions.Deletions lists the ids
//	                       of every deal, lead and activity (the ID alone, a request per 50) into
//	                       the watermark, and a later sync with it retracts all the events of the
//	                       items gone from that listing, once; an item deleted while a sync runs,
//	                       after its rows were read, is retracted by that sync, which sent its
//	                       events and lists it no more. An id a listing read by offset lacks is
//	                       read again by id before it is retracted (a deletion while it pages
//	                       moves later items up, and one is skipped). Without it, a full sync (a zero
//	                       Since) loaded as the complete set, replacing the earlier events, drops
//	                       them.
//	lead.converted, .junk  STATUS_SEMANTIC_ID S or F, dated like deals; fallbacks MOVED_TIME,
//	                       DATE_CLOSED, DATE_MODIFY.
//	semantics              Taken from the rows; a row without one is resolved with crm.status.list
//	                       (DEAL_STAGE, DEAL_STAGE_<pipeline>, STATUS; a null SEMANTICS is P). A
//	                       value other than P, S or F fails the sync, naming the method and row.
//	activities             TYPE_ID 2 call, 1 meeting, 4 email, counted only when COMPLETED is Y; other
//	                       types (tasks, to-dos) give no event. In an incremental sync a changed
//	                       activity that does not count (reopened, changed type) is retracted.
//	amounts                Exact decimals from the OPPORTUNITY strings (never float64), in CURRENCY_ID,
//	                       not converted: the deal's current amount, so an amount edited after the win
//	                       corrects the win. A null or empty OPPORTUNITY gives no amount, and no
//	                       currency.
//	users                  Actors are user ids as strings. Dismissed users (user.get ACTIVE false) keep
//	                       their events and their memberships.
//
// Attributes (kpi.Event.Attrs), present when the portal has a value:
//
//	deals       deal (int64 id), pipeline (int64 CATEGORY_ID, the current one), stage (string STAGE_ID),
//	            source (SOURCE_ID), type (TYPE_ID), return_customer (bool IS_RETURN_CUSTOMER),
//	            company (int64 COMPANY_ID), contact (int64 CONTACT_ID), lead (int64 LEAD_ID), title
//	leads       lead (int64 id), status (STATUS_ID), source, return_customer, company, contact, title
//	activities  owner_type ("lead", "deal", "contact", "company"), owner (int64 OWNER_ID),
//	            direction ("in" for DIRECTION 1, "out" for 2), duration (int64 seconds from START_TIME
//	            to END_TIME; calls and meetings; none when END_TIME is before START_TIME or more
//	            than 366 days after it, a sentinel rather than a length), provider (PROVIDER_ID)
//
// Times keep the portal's offset. Bucketing them into days or months is the
// engine's job, in the plan's time zone: a deal created at
// 2024-03-01T00:15:00+03:00 is a March deal in Moscow and a February one in UTC.
//
// # Incremental sync
//
// Events returns a Watermark: the newest DATE_MODIFY of deals and leads, the
// newest LAST_UPDATED of activities (each capped at the portal's clock when it
// was read, so a row dated in the future cannot hide later changes) and the
// highest stage-history row ids. Passed back as SyncOptions.Since, the next
// sync reads the deals and leads modified since (inclusive), those with
// history rows past the watermark's ids, and the activities updated since;
// for each such deal or lead it reads the whole stage history again (by
// OWNER_ID, in batches) and sends all its events. Syncing twice changes
// nothing: the second sync sends events equal to the ones already sent.
// ModifiedSince(t) starts from a date instead of a previous sync: without
// history ids, it finds the deals and leads with history rows created at or
// after t (CREATED_TIME) instead of past the ids, and its watermark holds
// the highest id of those rows (or, with none, modified times no later than
// the start of that read), so that a deal that moves and is deleted while
// it runs is retracted by the next sync, as from a previous sync's
// watermark.
//
// # Directory
//
// Directory reads department.get and user.get (in one batch call) and returns
// an *Org, a org.Directory. The users are read by keyset whatever
// SyncOptions.Paging says (start=-1, sort ID, order ASC, FILTER ">ID" on the
// last ID seen, as user.get's reference page recommends for large lists),
// so a user deleted or added while it pages hides or repeats no other.
// department.get is read by offset (start, next): its reference page
// documents a filter by a department's exact ID and no operator, so there
// is no ">ID" to page by. A department deleted while its pages are read (a
// portal with more than 50) moves the later ones up and one of them is not
// read: Directory fails if a user or a department names it ("department N
// is not in department.get"), and a department nobody names is missing
// until the next read. In the Org: each department is a org.Unit with its
// parent and its head (UF_HEAD); each user's UF_DEPARTMENT entries are
// memberships, without dates (Bitrix24 does not say since when). Org.Users
// lists the users (User: id, name, active, position, departments), and an
// Org marshals to the JSON that `goalkit directory bitrix24` writes. Once
// the context is done, Directory makes no further request and Units and
// Memberships answer ctx.Err(), as memory.Directory does.
//
// # Tasks and time tracking
//
// With SyncOptions.Tasks, Events and Sync also read the tasks
// (tasks.task.list, result.tasks with camelCase members, paged as
// SyncOptions.Paging says: keyset by default, its ">ID" filter on the
// method's ID field, as for the CRM lists) and
// the time logged on them (task.elapseditem.getlist without TASKID: every
// task's records, keyset paging by ID through FILTER ">ID" and the first
// NAV_PARAMS page; its parameters are sent in the method's positional order
// TASKID, ORDER, FILTER, SELECT, PARAMS). The webhook needs the task scope.
//
//	event id              kind            time                  actor           attributes
//	b24:task:N:created    task.created    createdDate           responsibleId   task, group, goal, title
//	b24:task:N:completed  task.completed  closedDate            responsibleId   task, group, goal, title
//	b24:task:N:overdue    task.overdue    deadline              responsibleId   task, group, goal, title
//	b24:elapsed:N         time.logged     CREATED_DATE          USER_ID         duration, task, group, goal
//
// The rules behind the table:
//
//	completed    status 5 (completed); 4 (awaiting control) is not. Dated by closedDate.
//	overdue      the task has a deadline and was completed after it, or is still open
//	             when the portal answers (its clock) and the deadline has passed. Dated
//	             by the deadline.
//	retractions  An incremental sync sends each changed task's three ids: a live event or a
//	             retraction (a task reopened stops counting as completed; a deadline moved
//	             later takes overdue back). It also reads the tasks whose deadline passed
//	             since the last sync, since a task becomes overdue without changing.
//	goal         the task's user field SyncOptions.TaskGoalField (default UF_GOALKIT_GOAL:
//	             create a string user field of that name for tasks and put the goal id in
//	             it), read under its name or camelCased (ufGoalkitGoal) as the method
//	             writes its system user fields; absent when empty. A time log takes its
//	             task's goal and group.
//	group        groupId, the workgroup (project) of the task; absent when 0.
//	duration     SECONDS as int64 seconds (MINUTES × 60 when SECONDS is 0); CREATED_DATE
//	             is the day the work was done when the time was added by hand afterwards.
//	time logs    Incremental syncs read the records past Watermark.ElapsedID (or created
//	             since the mark). The method has no modification date to sync by (its
//	             filter takes ID, USER_ID and CREATED_DATE alone, and nothing lists
//	             deleted records), so a record's later edit or deletion, or a change of
//	             its task's goal, is not seen by them. A sync from ModifiedSince(t)
//	             (the command's -since) reads again the records created since t: an
//	             edit among them is a new version of the same event. A deleted record
//	             is retracted by a sync with SyncOptions.Deletions, which lists the ids
//	             of every record too (Watermark.ElapsedIDs), as it does the CRM's. An
//	             edit of an older record reaches goalkit only through a full sync (a
//	             zero Since, whose events replace the old file).
//	deleted      A deleted task is no longer listed, and nothing says it was: its events
//	             stay, unless a sync with SyncOptions.Deletions, which lists the ids of
//	             every task too (Watermark.TaskIDs), retracts them.
//
// So "tasks done" is a count of task.completed, "time spent on goal X" the sum
// of duration over time.logged where goal == "X", and a project's completion
// task.completed over task.created where group == G: see the example plan
// examples/bitrix24-tasks.
//
// # Actions
//
// NotifyUser sends a personal notification (im.notify.personal.add) to a
// portal user; a delivery channel of notifications calls it. An *APIError
// that is the portal's own answer gives its HTTP status (HTTPStatus), so
// that the channel knows the portal refused the call rather than lost its
// answer.
//
// Actions.Apply turns goal notifications (goal.Notification) of its kinds
// (default at_risk and failed) into a task for the notification's
// participant (tasks.task.add: title, the message and numbers in the
// description, a deadline at the end of the goal's period, a link back to
// the dashboard) and an event with a reminder in the participant's own
// calendar (calendar.section.get, calendar.event.add) a day before the
// deadline. It acts for the participant the notification names and no one
// else: a team or "*" gets nothing.
//
// Each is created once. The notification's idempotency key is hashed into a
// marker, "goalkit-" and 32 hex digits (Marker), stored in the task's XML_ID
// (its external id, invisible in the task form) and at the end of both
// descriptions. Before creating a task, Apply lists the participant's tasks
// with that XML_ID (tasks.task.list, filter XML_ID and RESPONSIBLE_ID; a row
// counts only if its xmlId equals the marker, so a portal that ignored the
// filter would still be read right); before creating an event, it reads the
// participant's events from the day before to the day after its start
// (calendar.event.get) for the marker, and not found there, those wherever
// a run can have put it: RemindBefore is at most MaxRemindBefore (366 days;
// Apply refuses a longer one), so from the day before 366 days ahead of the
// deadline (or of the task's, if earlier) to the day after the deadline (or
// the task's, if later), one read of up to a year of the participant's
// calendar, made only when the task was there before this run and its
// reminder is not at its start (for a task this run created, from 31 days
// ahead). So a
// re-run, or a run after a create whose answer was lost, finds the task and
// the event instead of creating them again. An event found at another time
// (RemindBefore changed between runs) is moved to the new one
// (calendar.event.update). Its start is read from DATE_FROM_TS_UTC, or on a
// portal that does not send it, from DATE_FROM (the wall time in the
// portal's locale format: DD.MM.YYYY, MM/DD/YYYY with am/pm, DD/MM/YYYY,
// YYYY-MM-DD) in the zone of TZ_OFFSET_FROM (or TZ_FROM); an event whose
// start none of them tells is left where it is when found on the days
// around the new start, and moved otherwise, so that a run with nothing
// changed updates nothing. A reminder is not found, and a second is
// created, only where a run put it by a deadline that was neither the
// task's nor the present one (MinLead or Location changed twice), where
// the participant moved it by hand out of that span, or, for a task deleted
// in the portal (the next run creates it again), more than 31 days ahead.
//
// # Command line
//
// The subpackage b24cmd implements `goalkit sync bitrix24` (with -tasks),
// `goalkit directory bitrix24` and `goalkit act bitrix24` (the notifications
// of a report as tasks and reminders).
package bitrix24
