/**
 * Word pools the generator samples from. Kept in the repository (rather than drawn from a faker locale at run time)
 * so that the demo data for a seed does not change when a dependency is upgraded.
 */

export const FIRST_NAMES = [
  'Aaliyah', 'Aaron', 'Abigail', 'Adam', 'Adrian', 'Aisha', 'Alejandro', 'Alex', 'Alice', 'Amara', 'Amelia', 'Amir',
  'Ana', 'Andre', 'Andrea', 'Anika', 'Anna', 'Arjun', 'Aurora', 'Ava', 'Ben', 'Bianca', 'Brandon', 'Caleb', 'Camila',
  'Carlos', 'Caroline', 'Chen', 'Chloe', 'Chris', 'Claire', 'Daniel', 'Daniela', 'David', 'Deepa', 'Diego', 'Dmitri',
  'Elena', 'Eli', 'Elif', 'Elijah', 'Emeka', 'Emily', 'Emma', 'Ethan', 'Eva', 'Fatima', 'Felix', 'Fiona', 'Gabriel',
  'Grace', 'Hana', 'Hannah', 'Hassan', 'Henry', 'Hiro', 'Ibrahim', 'Imani', 'Ines', 'Isaac', 'Isabella', 'Ivan',
  'Jack', 'Jamal', 'James', 'Jasmine', 'Javier', 'Jin', 'Joao', 'Jonas', 'Jordan', 'Jose', 'Joseph', 'Julia', 'Kai',
  'Kara', 'Kenji', 'Kevin', 'Kofi', 'Laila', 'Lars', 'Laura', 'Leah', 'Leo', 'Liam', 'Lina', 'Lucas', 'Lucia', 'Luis',
  'Maya', 'Mei', 'Mia', 'Michael', 'Miguel', 'Mila', 'Mohammed', 'Nadia', 'Naomi', 'Nathan', 'Nia', 'Nikhil', 'Nina',
  'Noah', 'Nora', 'Olga', 'Oliver', 'Olivia', 'Omar', 'Oscar', 'Paolo', 'Priya', 'Rafael', 'Rahul', 'Rania', 'Ravi',
  'Rebecca', 'Rosa', 'Ryan', 'Sakura', 'Samuel', 'Sara', 'Sebastian', 'Sergei', 'Sofia', 'Sophie', 'Stefan', 'Tariq',
  'Thomas', 'Tomas', 'Valentina', 'Victor', 'Wei', 'William', 'Yara', 'Yusuf', 'Zara', 'Zoe', 'Marcus', 'Helen',
  'Patrick', 'Megan', 'Owen', 'Ruth', 'Simon', 'Tessa', 'Victoria', 'Walter', 'Xavier', 'Yasmin', 'Zain', 'Greta',
] as const;

export const LAST_NAMES = [
  'Abbott', 'Adeyemi', 'Agarwal', 'Ahmed', 'Alvarez', 'Andersen', 'Baker', 'Banerjee', 'Barnes', 'Becker', 'Bennett',
  'Bianchi', 'Brooks', 'Brown', 'Campbell', 'Carter', 'Castillo', 'Chang', 'Chen', 'Clarke', 'Cohen', 'Cooper',
  'Costa', 'Cruz', 'Das', 'Davies', 'Diaz', 'Dubois', 'Edwards', 'Evans', 'Fernandez', 'Fischer', 'Fitzgerald',
  'Foster', 'Garcia', 'Gonzalez', 'Gordon', 'Gupta', 'Hall', 'Hansen', 'Harris', 'Hayes', 'Hernandez', 'Hoffmann',
  'Hughes', 'Ibrahim', 'Ito', 'Jackson', 'Jansen', 'Johnson', 'Jones', 'Kang', 'Kaur', 'Kelly', 'Khan', 'Kim',
  'Kowalski', 'Kumar', 'Larsen', 'Lee', 'Lewis', 'Li', 'Lopez', 'Martin', 'Martinez', 'Mehta', 'Meyer', 'Miller',
  'Mitchell', 'Moore', 'Morales', 'Moreau', 'Murphy', 'Nakamura', 'Nguyen', 'Novak', 'Nowak', 'Obi', 'Okafor',
  "O'Brien", 'Olsen', 'Ortiz', 'Owusu', 'Park', 'Patel', 'Perez', 'Petrov', 'Phillips', 'Popescu', 'Price', 'Quinn',
  'Ramirez', 'Rao', 'Reed', 'Reyes', 'Richter', 'Rivera', 'Roberts', 'Rodriguez', 'Romano', 'Rossi', 'Russo',
  'Sanchez', 'Santos', 'Schmidt', 'Schneider', 'Scott', 'Shah', 'Silva', 'Singh', 'Smith', 'Sokolov', 'Stewart',
  'Suzuki', 'Tanaka', 'Taylor', 'Thomas', 'Thompson', 'Torres', 'Turner', 'Van Dijk', 'Vargas', 'Walker', 'Wang',
  'Ward', 'Watanabe', 'Weber', 'White', 'Williams', 'Wilson', 'Wong', 'Wright', 'Wu', 'Yamamoto', 'Yang', 'Young',
  'Zhang', 'Zhou', 'Zimmermann', 'Nkosi', 'Mensah', 'Haddad', 'Lindqvist', 'Kovacs', 'Horvat', 'Byrne', 'Doyle',
] as const;

export const COMPANY_PREFIX = [
  'Acorn', 'Alder', 'Alpine', 'Amber', 'Apex', 'Arbor', 'Atlas', 'Aurora', 'Beacon', 'Birch', 'Blue Harbor', 'Bluewater',
  'Boulder', 'Bright', 'Brookfield', 'Canyon', 'Cascade', 'Cedar', 'Clearwater', 'Cobalt', 'Compass', 'Copper',
  'Crescent', 'Crown', 'Delta', 'Eastgate', 'Ember', 'Evergreen', 'Falcon', 'Fieldstone', 'Frontier', 'Galaxy',
  'Granite', 'Greenleaf', 'Harbor', 'Hawthorne', 'Helix', 'Highland', 'Horizon', 'Ironwood', 'Juniper', 'Keystone',
  'Lakeside', 'Landmark', 'Lighthouse', 'Linden', 'Maple', 'Meridian', 'Metro', 'Midland', 'Monarch', 'Northgate',
  'Northstar', 'Oakridge', 'Orchard', 'Pacific', 'Paramount', 'Pinnacle', 'Pioneer', 'Prairie', 'Quantum', 'Redwood',
  'Ridgeline', 'Riverbend', 'Rockport', 'Sapphire', 'Sequoia', 'Sierra', 'Silverline', 'Skyline', 'Southport',
  'Sterling', 'Stonebridge', 'Summit', 'Sunrise', 'Tidewater', 'Timber', 'Trident', 'Union', 'Vanguard', 'Vertex',
  'Westfield', 'Willow', 'Windward', 'Zenith', 'Blackstone', 'Goldcrest', 'Harvest', 'Kingfisher', 'Lumen', 'Nova',
] as const;

/** The second word of a company name, by the industry it implies. */
export const COMPANY_CORE: Readonly<Record<string, readonly string[]>> = {
  'Logistics & transport': ['Logistics', 'Freight', 'Transit', 'Cold Chain', 'Distribution', 'Storage', 'Aviation', 'Marine'],
  Healthcare: ['Health', 'Clinics', 'Dental', 'Medical', 'Pharmacy', 'Care'],
  Pharmaceuticals: ['Pharma', 'Biologics', 'Labs'],
  'Food & beverage': ['Foods', 'Farms', 'Brewing', 'Grocers', 'Dairy', 'Bakeries'],
  'Energy & utilities': ['Energy', 'Solar', 'Utilities', 'Water', 'Power'],
  Hospitality: ['Hotels', 'Hospitality', 'Resorts', 'Fitness'],
  Construction: ['Builders', 'Construction', 'Contractors'],
  'Real estate': ['Properties', 'Estates', 'Realty'],
  Manufacturing: ['Manufacturing', 'Metals', 'Plastics', 'Textiles', 'Packaging', 'Components', 'Robotics', 'Motors', 'Paper', 'Glass', 'Chemicals', 'Devices'],
  Retail: ['Retail', 'Markets', 'Outfitters', 'Stores'],
  'Financial services': ['Capital', 'Bank', 'Insurance'],
  Telecommunications: ['Telecom', 'Networks', 'Media'],
  Education: ['Education', 'Academy', 'Schools'],
  'Public sector': ['County Services', 'Municipal Works', 'Transit Authority'],
};

export const COMPANY_SUFFIX = ['Inc.', 'Ltd', 'LLC', 'Group', 'Co.', 'Partners', 'GmbH', 'Holdings', 'Corp.', '', '', ''] as const;

export const INDUSTRIES = Object.keys(COMPANY_CORE);

export interface City {
  city: string;
  region: string;
  lat: number;
  lng: number;
}

export const REGIONS = ['North America', 'EMEA', 'APAC', 'LATAM'] as const;

export const CITIES: readonly City[] = [
  { city: 'Chicago', region: 'North America', lat: 41.8781, lng: -87.6298 },
  { city: 'Dallas', region: 'North America', lat: 32.7767, lng: -96.797 },
  { city: 'Atlanta', region: 'North America', lat: 33.749, lng: -84.388 },
  { city: 'Denver', region: 'North America', lat: 39.7392, lng: -104.9903 },
  { city: 'Seattle', region: 'North America', lat: 47.6062, lng: -122.3321 },
  { city: 'Boston', region: 'North America', lat: 42.3601, lng: -71.0589 },
  { city: 'Toronto', region: 'North America', lat: 43.6532, lng: -79.3832 },
  { city: 'Phoenix', region: 'North America', lat: 33.4484, lng: -112.074 },
  { city: 'Columbus', region: 'North America', lat: 39.9612, lng: -82.9988 },
  { city: 'San Diego', region: 'North America', lat: 32.7157, lng: -117.1611 },
  { city: 'London', region: 'EMEA', lat: 51.5072, lng: -0.1276 },
  { city: 'Manchester', region: 'EMEA', lat: 53.4808, lng: -2.2426 },
  { city: 'Rotterdam', region: 'EMEA', lat: 51.9244, lng: 4.4777 },
  { city: 'Hamburg', region: 'EMEA', lat: 53.5511, lng: 9.9937 },
  { city: 'Lyon', region: 'EMEA', lat: 45.764, lng: 4.8357 },
  { city: 'Madrid', region: 'EMEA', lat: 40.4168, lng: -3.7038 },
  { city: 'Milan', region: 'EMEA', lat: 45.4642, lng: 9.19 },
  { city: 'Dublin', region: 'EMEA', lat: 53.3498, lng: -6.2603 },
  { city: 'Stockholm', region: 'EMEA', lat: 59.3293, lng: 18.0686 },
  { city: 'Dubai', region: 'EMEA', lat: 25.2048, lng: 55.2708 },
  { city: 'Johannesburg', region: 'EMEA', lat: -26.2041, lng: 28.0473 },
  { city: 'Singapore', region: 'APAC', lat: 1.3521, lng: 103.8198 },
  { city: 'Sydney', region: 'APAC', lat: -33.8688, lng: 151.2093 },
  { city: 'Melbourne', region: 'APAC', lat: -37.8136, lng: 144.9631 },
  { city: 'Osaka', region: 'APAC', lat: 34.6937, lng: 135.5023 },
  { city: 'Bengaluru', region: 'APAC', lat: 12.9716, lng: 77.5946 },
  { city: 'Auckland', region: 'APAC', lat: -36.8485, lng: 174.7633 },
  { city: 'Kuala Lumpur', region: 'APAC', lat: 3.139, lng: 101.6869 },
  { city: 'Sao Paulo', region: 'LATAM', lat: -23.5558, lng: -46.6396 },
  { city: 'Mexico City', region: 'LATAM', lat: 19.4326, lng: -99.1332 },
  { city: 'Bogota', region: 'LATAM', lat: 4.711, lng: -74.0721 },
  { city: 'Santiago', region: 'LATAM', lat: -33.4489, lng: -70.6693 },
  { city: 'Monterrey', region: 'LATAM', lat: 25.6866, lng: -100.3161 },
];

/** Share of accounts per region (index into REGIONS). */
export const REGION_WEIGHTS = [0.48, 0.3, 0.14, 0.08] as const;

export const STREETS = [
  'Main St', 'Oak Ave', 'Harbor Rd', 'Industrial Pkwy', 'Commerce Dr', 'Station Rd', 'Mill Lane', 'River St',
  'Park Ave', 'Market St', 'Enterprise Way', 'Logistics Blvd', 'Canal St', 'High St', 'Airport Rd', 'Dock Rd',
  'Innovation Dr', 'Warehouse Row', 'King St', 'Elm St', 'Bridge St', 'Quay Rd', 'Factory Lane', 'Depot Rd',
] as const;

export const SITE_KINDS = ['warehouse', 'distribution centre', 'plant', 'head office', 'depot', 'clinic', 'store', 'cold store', 'campus'] as const;

export const JOB_TITLES = [
  'Operations Manager', 'Head of Operations', 'IT Director', 'CTO', 'VP Operations', 'Facilities Manager',
  'Procurement Lead', 'Finance Director', 'CFO', 'Warehouse Supervisor', 'Plant Manager', 'Logistics Coordinator',
  'Office Manager', 'COO', 'Systems Administrator', 'Quality Manager', 'Supply Chain Analyst', 'CEO',
] as const;

export const FREE_MAIL = ['gmail.com', 'outlook.com', 'yahoo.com', 'hotmail.co.uk', 'icloud.com', 'proton.me'] as const;

/** The company the demo workspace belongs to: sells a monitoring platform plus on-site sensor installations. */
export const COMPANY = {
  name: 'Kestrel Systems',
  domain: 'kestrelsys.com',
  products: ['Kestrel Platform', 'Kestrel Sensors', 'Kestrel Insights', 'Kestrel Mobile', 'Kestrel API'],
  features: ['alert rules', 'dashboards', 'scheduled reports', 'sensor groups', 'user roles', 'audit log', 'CSV export', 'work orders', 'maps view', 'webhooks'],
} as const;

export const DEAL_SOURCES = ['inbound', 'outbound', 'referral', 'partner', 'event', 'webinar', 'paid_search'] as const;

export const BROWSERS = ['Chrome 126', 'Edge 125', 'Firefox 127', 'Safari 17', 'the iOS app', 'the Android app'] as const;
export const IDPS = ['Okta', 'Azure AD', 'Google Workspace', 'OneLogin', 'Ping'] as const;
export const CARRIERS = ['DHL', 'UPS', 'FedEx', 'DPD', 'Royal Mail', 'USPS'] as const;
export const INTEGRATIONS = ['Salesforce', 'HubSpot', 'SAP', 'ServiceNow', 'Slack', 'Microsoft Teams', 'Power BI', 'Zapier'] as const;
export const WHEN = ['this morning', 'yesterday afternoon', 'since Monday', 'after the last update', 'for about an hour', 'since 9am', 'over the weekend'] as const;
export const WEEKDAYS_SHORT = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'next week'] as const;
