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
	ID               int64               `b24:"ID"`
	Title            string              `b24:"TITLE"`
	TypeID           string              `b24:"TYPE_ID"`           // dictionary DEAL_TYPE, e.g. "SALE"; "" if none
	CategoryID       int64               `b24:"CATEGORY_ID"`       // pipeline; 0 is the default one
	StageID          string              `b24:"STAGE_ID"`          // "WON", "C1:NEW"
	StageSemantic    string              `b24:"STAGE_SEMANTIC_ID"` // "P", "S" or "F"; "" if the portal did not send it
	Closed           bool                `b24:"CLOSED"`
	Opportunity      decimal.NullDecimal `b24:"OPPORTUNITY"`
	CurrencyID       string              `b24:"CURRENCY_ID"`
	AssignedByID     int64               `b24:"ASSIGNED_BY_ID"`
	CreatedByID      int64               `b24:"CREATED_BY_ID"`
	LeadID           int64               `b24:"LEAD_ID"`
	CompanyID        int64               `b24:"COMPANY_ID"`
	ContactID        int64               `b24:"CONTACT_ID"`
	SourceID         string              `b24:"SOURCE_ID"`
	IsReturnCustomer bool                `b24:"IS_RETURN_CUSTOMER"`
	DateCreate       time.Time           `b24:"DATE_CREATE"`
	DateModify       time.Time           `b24:"DATE_MODIFY"`
	MovedTime        time.Time           `b24:"MOVED_TIME"` // the last stage change
	// CloseDate is a date-only field sent as midnight UTC in the portal's
	// offset; its calendar date is CloseDate.UTC().
	CloseDate time.Time `b24:"CLOSEDATE"`
}

// Lead is a row of crm.lead.list.
type Lead struct {
	ID               int64               `b24:"ID"`
	Title            string              `b24:"TITLE"`
	StatusID         string              `b24:"STATUS_ID"`          // "NEW", "CONVERTED", "JUNK", or a custom code
	StatusSemantic   string              `b24:"STATUS_SEMANTIC_ID"` // "P", "S" or "F"
	Opportunity      decimal.NullDecimal `b24:"OPPORTUNITY"`
	CurrencyID       string              `b24:"CURRENCY_ID"`
	AssignedByID     int64               `b24:"ASSIGNED_BY_ID"`
	CompanyID        int64               `b24:"COMPANY_ID"`
	ContactID        int64               `b24:"CONTACT_ID"`
	SourceID         string              `b24:"SOURCE_ID"`
	IsReturnCustomer bool                `b24:"IS_RETURN_CUSTOMER"`
	DateCreate       time.Time           `b24:"DATE_CREATE"`
	DateModify       time.Time           `b24:"DATE_MODIFY"`
	MovedTime        time.Time           `b24:"MOVED_TIME"`
	DateClosed       time.Time           `b24:"DATE_CLOSED"` // zero while the lead is open
}

// Activity is a row of crm.activity.list.
type Activity struct {
	ID            int64     `b24:"ID"`
	OwnerID       int64     `b24:"OWNER_ID"`
	OwnerTypeID   int64     `b24:"OWNER_TYPE_ID"` // EntityLead, EntityDeal, EntityContact, EntityCompany
	TypeID        int64     `b24:"TYPE_ID"`       // 1 meeting, 2 call, 3 task, 4 email, 5 calendar event, 6 provider-managed
	ProviderID    string    `b24:"PROVIDER_ID"`
	Direction     int64     `b24:"DIRECTION"` // 1 incoming, 2 outgoing, 0 not set
	Completed     bool      `b24:"COMPLETED"`
	Status        int64     `b24:"STATUS"` // 1 waiting, 2 completed, 3 auto-completed
	ResponsibleID int64     `b24:"RESPONSIBLE_ID"`
	Subject       string    `b24:"SUBJECT"`
	Created       time.Time `b24:"CREATED"`
	LastUpdated   time.Time `b24:"LAST_UPDATED"`
	StartTime     time.Time `b24:"START_TIME"`
	EndTime       time.Time `b24:"END_TIME"`
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
	ID          int64     `b24:"ID"`
	TypeID      int64     `b24:"TYPE_ID"` // HistoryCreated, HistoryMoved, HistoryFinal, HistoryPipeline
	OwnerID     int64     `b24:"OWNER_ID"`
	CreatedTime time.Time `b24:"CREATED_TIME"`
	CategoryID  int64     `b24:"CATEGORY_ID"`
	StageID     string    `b24:"STAGE_ID"`
	Semantic    string    `b24:"STAGE_SEMANTIC_ID"`
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
	ID           int64   `b24:"ID"`
	Active       bool    `b24:"ACTIVE"` // false for a dismissed user
	Name         string  `b24:"NAME"`
	LastName     string  `b24:"LAST_NAME"`
	SecondName   string  `b24:"SECOND_NAME"`
	Email        string  `b24:"EMAIL"`
	WorkPosition string  `b24:"WORK_POSITION"`
	UserType     string  `b24:"USER_TYPE"`
	Departments  []int64 `b24:"UF_DEPARTMENT"`
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
	ID     int64  `b24:"ID"`
	Name   string `b24:"NAME"`
	Sort   int64  `b24:"SORT"`
	Parent int64  `b24:"PARENT"`  // 0 for the root
	Head   int64  `b24:"UF_HEAD"` // 0 if none
}

// Status is a row of crm.status.list: a stage, lead status or source.
type Status struct {
	EntityID   string `b24:"ENTITY_ID"` // "DEAL_STAGE", "DEAL_STAGE_1", "STATUS", "SOURCE", …
	StatusID   string `b24:"STATUS_ID"` // the code used in deals and leads, e.g. "C1:WON"
	Name       string `b24:"NAME"`
	Sort       int64  `b24:"SORT"`
	CategoryID int64  `b24:"CATEGORY_ID"`
	// Semantics is "P", "S" or "F" for stages and lead statuses (the API's
	// null is "P"), "" for other dictionaries.
	Semantics string `b24:"SEMANTICS"`
}

// Category is a pipeline, a row of crm.category.list.
type Category struct {
	ID           int64  `b24:"id"`
	Name         string `b24:"name"`
	Sort         int64  `b24:"sort"`
	EntityTypeID int64  `b24:"entityTypeId"`
	IsDefault    bool   `b24:"isDefault"`
}

// Currency is a row of crm.currency.list.
type Currency struct {
	Currency  string          `b24:"CURRENCY"` // ISO 4217 code
	AmountCnt int64           `b24:"AMOUNT_CNT"`
	Base      bool            `b24:"BASE"`
	Sort      int64           `b24:"SORT"`
	FullName  string          `b24:"FULL_NAME"`
	Decimals  int64           `b24:"DECIMALS"`
	Amount    decimal.Decimal `b24:"AMOUNT"` // exchange rate to the base currency, per AmountCnt units
}
