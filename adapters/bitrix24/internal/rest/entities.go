package rest

import (
	"time"

	"github.com/shopspring/decimal"
)

// CRM entity type ids (crm.stagehistory.list's entityTypeId, an activity's
// OWNER_TYPE_ID).
const (
	EntityLead    = 1
	EntityDeal    = 2
	EntityContact = 3
	EntityCompany = 4
)

// Stage semantics, as in STAGE_SEMANTIC_ID, STATUS_SEMANTIC_ID and the
// dictionaries' SEMANTICS.
const (
	SemanticProcess = "P" // in progress
	SemanticSuccess = "S" // won, converted
	SemanticFailure = "F" // lost, junk
)

// Deal is a row of crm.deal.list. Ids that the API sends as "0" or null are 0.
type Deal struct {
	ID               int64
	Title            string
	TypeID           string // dictionary DEAL_TYPE, e.g. "SALE"; "" if none
	CategoryID       int64  // pipeline; 0 is the default one
	StageID          string // "WON", "C1:NEW"
	StageSemantic    string // "P", "S" or "F"; "" if the portal did not send it
	Closed           bool
	Opportunity      decimal.NullDecimal
	CurrencyID       string
	AssignedByID     int64
	CreatedByID      int64
	LeadID           int64
	CompanyID        int64
	ContactID        int64
	SourceID         string
	IsReturnCustomer bool
	DateCreate       time.Time
	DateModify       time.Time
	MovedTime        time.Time // the last stage change
	// CloseDate is a date-only field sent as midnight UTC in the portal's
	// offset; its calendar date is CloseDate.UTC().
	CloseDate time.Time
}

// Lead is a row of crm.lead.list.
type Lead struct {
	ID               int64
	Title            string
	StatusID         string // "NEW", "CONVERTED", "JUNK", or a custom code
	StatusSemantic   string // "P", "S" or "F"
	Opportunity      decimal.NullDecimal
	CurrencyID       string
	AssignedByID     int64
	CompanyID        int64
	ContactID        int64
	SourceID         string
	IsReturnCustomer bool
	DateCreate       time.Time
	DateModify       time.Time
	MovedTime        time.Time
	DateClosed       time.Time // zero while the lead is open
}

// Activity is a row of crm.activity.list.
type Activity struct {
	ID            int64
	OwnerID       int64
	OwnerTypeID   int64 // EntityLead, EntityDeal, EntityContact, EntityCompany
	TypeID        int64 // 1 meeting, 2 call, 3 task, 4 email, 5 calendar event, 6 provider-managed
	ProviderID    string
	Direction     int64 // 1 incoming, 2 outgoing, 0 not set
	Completed     bool
	Status        int64 // 1 waiting, 2 completed, 3 auto-completed
	ResponsibleID int64
	Subject       string
	Created       time.Time
	LastUpdated   time.Time
	StartTime     time.Time
	EndTime       time.Time
}

// Activity types counted as events.
const (
	ActivityMeeting = 1
	ActivityCall    = 2
	ActivityEmail   = 4
)

// StageHistoryRow is a row of crm.stagehistory.list: one creation, stage move
// or pipeline change of a deal or lead. Leads' STATUS_ID and
// STATUS_SEMANTIC_ID land in StageID and Semantic.
type StageHistoryRow struct {
	ID          int64
	TypeID      int64 // HistoryCreated, HistoryMoved, HistoryFinal, HistoryPipeline
	OwnerID     int64
	CreatedTime time.Time
	CategoryID  int64
	StageID     string
	Semantic    string
}

// Stage history row types.
const (
	HistoryCreated  = 1 // the item was created
	HistoryMoved    = 2 // it moved to an in-progress stage
	HistoryFinal    = 3 // it moved to a final stage, success or failure
	HistoryPipeline = 5 // it moved to another pipeline
)

// User is a row of user.get.
type User struct {
	ID           int64
	Active       bool // false for a dismissed user
	Name         string
	LastName     string
	SecondName   string
	Email        string
	WorkPosition string
	UserType     string
	Departments  []int64 // UF_DEPARTMENT
}

// FullName is "Name LastName", or whichever of them is set.
func (u User) FullName() string {
	switch {
	case u.Name != "" && u.LastName != "":
		return u.Name + " " + u.LastName
	case u.Name != "":
		return u.Name
	}
	return u.LastName
}

// Department is a row of department.get.
type Department struct {
	ID     int64
	Name   string
	Sort   int64
	Parent int64 // 0 for the root
	Head   int64 // UF_HEAD; 0 if none
}

// Status is a row of crm.status.list: a stage, lead status or source.
type Status struct {
	EntityID   string // "DEAL_STAGE", "DEAL_STAGE_1", "STATUS", "SOURCE", …
	StatusID   string // the code used in deals and leads, e.g. "C1:WON"
	Name       string
	Sort       int64
	CategoryID int64
	// Semantics is "P", "S" or "F" for stages and lead statuses (the API's
	// null is "P"), "" for other dictionaries.
	Semantics string
}

// Category is a pipeline, a row of crm.category.list.
type Category struct {
	ID           int64
	Name         string
	Sort         int64
	EntityTypeID int64
	IsDefault    bool
}

// Currency is a row of crm.currency.list.
type Currency struct {
	Currency  string // ISO 4217 code
	AmountCnt int64
	Amount    decimal.Decimal // exchange rate to the base currency, per AmountCnt units
	Base      bool
	Sort      int64
	FullName  string
	Decimals  int64
}
